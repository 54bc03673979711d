-- Chiffre d'affaires par ville, du plus grand au plus petit.
-- TODO : joindre commandes et clients, regrouper par ville, trier.
SELECT ville
FROM clients;
