#!/usr/bin/env bash
# Affiche les adresses IP qui ont le plus d'échecs « Failed password » dans un auth.log.
# Usage : bash top_ip.sh <fichier_journal> [N]      (N vaut 3 par défaut)
# Format de sortie : une ligne « <nombre> <ip> » par adresse, de la plus active
# à la moins active ; à égalité, par ordre croissant d'adresse (celui de sort).
set -euo pipefail

journal="$1"
n="${2:-3}"

# 1. Les échecs de mot de passe. « || true » : un journal sans échec n'est pas
#    une erreur (grep renverrait 1 et, avec pipefail, tout le pipeline échouerait).
# 2. L'adresse est le mot qui suit « from » : sa colonne change selon que le
#    compte existe (« for root from … ») ou non (« for invalid user admin from … »).
# 3. sort | uniq -c compte les lignes identiques (uniq ne regroupe que des
#    lignes voisines, d'où le tri préalable).
# 4. Tri numérique décroissant sur le nombre, puis croissant sur l'adresse.
# 5. awk garde les N premières lignes et normalise le format « nombre ip ».
{ grep -F "Failed password" -- "$journal" || true; } \
    | awk '{ for (i = 1; i < NF; i++) if ($i == "from") { print $(i + 1); break } }' \
    | sort \
    | uniq -c \
    | awk '{ print $1, $2 }' \
    | sort -k1,1nr -k2,2 \
    | awk -v n="$n" 'NR <= n'
