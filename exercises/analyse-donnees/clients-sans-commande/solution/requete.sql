-- Le LEFT JOIN garde chaque client ; sans commande, co.id est NULL.
SELECT c.nom, c.ville
FROM clients AS c
LEFT JOIN commandes AS co ON co.client_id = c.id
WHERE co.id IS NULL;
