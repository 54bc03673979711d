#!/usr/bin/env bash
# Rapport des requêtes suspectes d'un journal d'accès nginx (format « combined »).
# Usage : bash suspects.sh <access.log> <motifs.txt>
# Sortie :
#   <ip> <nombre>            une ligne par adresse, nombre décroissant puis adresse croissante
#   TOTAL <nombre>           nombre total de requêtes suspectes
#   REUSSIE <ip> <url>       chaque requête suspecte servie avec le code 200, dans l'ordre du journal
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "Usage : bash suspects.sh <access.log> <motifs.txt>" >&2
    exit 2
fi
journal="$1"
motifs="$2"

# TODO 1 : lire les motifs en ignorant les lignes vides et les commentaires (#).
# TODO 2 : pour chaque ligne du journal, extraire l'adresse IP, l'URL demandée
#          et le code de statut. Seule l'URL doit être comparée aux motifs
#          (pas le referer, pas l'user-agent), sans tenir compte de la casse.
# TODO 3 : afficher le rapport au format ci-dessus.
echo "TOTAL 0"
