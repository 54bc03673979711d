#!/usr/bin/env bash
# Recherche des indicateurs de compromission (IoC) dans des journaux.
# Usage : bash ioc.sh <fichier_iocs> <journal> [<journal>...]
# Pour chaque IoC (dans l'ordre du fichier) et chaque journal (dans l'ordre des
# arguments) où il apparaît, affiche : <type> <valeur> <journal> <nombre_de_lignes>
# Puis : IOC_TROUVES <nombre d'IoC trouvés au moins une fois>/<nombre total d'IoC>
# Code de sortie : 1 si au moins un IoC est trouvé, 0 sinon, 2 si mauvaise utilisation.
set -euo pipefail

# TODO 1 : au moins deux arguments et un fichier d'IoC lisible, sinon code 2.

# TODO 2 : lire le fichier d'IoC ligne par ligne :
#   - supprimer un éventuel retour chariot final (\r) ;
#   - ignorer les lignes vides et les commentaires (#) ;
#   - séparer le type et la valeur (« type:valeur ») ;
#   - « réarmer » la valeur : remplacer [.] par . ;
#   - pour chaque journal, compter les lignes où la valeur apparaît comme texte
#     exact (pas une expression régulière), en mot entier, sans tenir compte
#     de la casse.

echo "IOC_TROUVES 0/0"
