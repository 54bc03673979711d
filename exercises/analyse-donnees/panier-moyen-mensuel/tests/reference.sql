-- Les dates sont du texte ISO (AAAA-MM-JJ) : les 7 premiers caractères donnent le mois.
SELECT strftime('%Y-%m', date_commande) AS mois,
       COUNT(*) AS nb_commandes,
       ROUND(AVG(montant), 2) AS panier_moyen
FROM commandes
GROUP BY mois
HAVING COUNT(*) >= 2
ORDER BY mois;
