-- Panier moyen par mois (mois ayant au moins deux commandes), par mois croissant.
-- TODO : regrouper par mois, filtrer avec HAVING, arrondir la moyenne.
SELECT date_commande AS mois, montant AS panier_moyen
FROM commandes;
