#!/usr/bin/env bash
# Affiche les adresses IP qui ont le plus d'échecs « Failed password » dans un auth.log.
# Usage : bash top_ip.sh <fichier_journal> [N]      (N vaut 3 par défaut)
# Format de sortie : une ligne « <nombre> <ip> » par adresse, de la plus active
# à la moins active ; à égalité, par ordre croissant d'adresse (celui de sort).
set -euo pipefail

journal="$1"
n="${2:-3}"

# TODO : construire le pipeline, étape par étape, en vérifiant le résultat
#        de chaque étape dans votre terminal avant d'ajouter la suivante :
#   1. garder les lignes qui contiennent « Failed password » ;
#   2. extraire l'adresse IP (attention : elle n'est pas toujours dans la
#      même colonne, elle suit toujours le mot « from ») ;
#   3. compter les occurrences de chaque adresse ;
#   4. trier par nombre décroissant, puis par adresse ;
#   5. ne garder que les N premières lignes, au format « nombre ip ».
