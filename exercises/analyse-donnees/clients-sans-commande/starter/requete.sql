-- Clients qui n'ont jamais passé de commande : nom, ville.
-- TODO : cette requête renvoie tous les clients ; ne gardez que ceux sans commande.
SELECT nom, ville
FROM clients;
