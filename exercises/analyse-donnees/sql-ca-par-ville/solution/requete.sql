-- Une ligne par ville ayant au moins une commande : la jointure interne écarte les autres.
SELECT c.ville,
       COUNT(*) AS nb_commandes,
       ROUND(SUM(co.montant), 2) AS total
FROM commandes AS co
JOIN clients AS c ON c.id = co.client_id
GROUP BY c.ville
ORDER BY total DESC;
