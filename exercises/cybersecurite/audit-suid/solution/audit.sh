#!/usr/bin/env bash
# Audit des permissions dangereuses dans une arborescence.
# Usage : bash audit.sh <répertoire>
# Signale chaque fichier ordinaire :
#   SUID <chemin>      bit SUID positionné
#   SGID <chemin>      bit SGID positionné
#   ECRITURE <chemin>  modifiable par tout le monde (« others » ont le droit w)
# Code de sortie : 1 si au moins une anomalie, 0 sinon, 2 en cas de mauvaise utilisation.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "Usage : bash audit.sh <répertoire>" >&2
    exit 2
fi
cible="$1"

if [[ ! -d "$cible" ]]; then
    echo "Erreur : « $cible » n'est pas un répertoire" >&2
    exit 2
fi

anomalies=0

# signaler ETIQUETTE CRITÈRE... : affiche « ETIQUETTE chemin » pour chaque
# fichier ordinaire qui correspond aux critères de find donnés.
# -print0 et read -d '' séparent les chemins par un octet nul : les noms
# contenant des espaces (ou même des retours à la ligne) restent intacts.
signaler() {
    local etiquette="$1"
    shift
    local fichier
    while IFS= read -r -d '' fichier; do
        printf '%s %s\n' "$etiquette" "$fichier"
        # Pas de « ((anomalies++)) » : quand anomalies vaut 0, l'expression
        # vaut 0, son code de retour est 1, et set -e arrêterait le script.
        anomalies=$((anomalies + 1))
    done < <(find "$cible" -type f "$@" -print0 | sort -z)
}

signaler SUID -perm -4000       # s à la place du x du propriétaire
signaler SGID -perm -2000       # s à la place du x du groupe
signaler ECRITURE -perm -0002   # w pour « les autres »

if ((anomalies > 0)); then
    exit 1
fi
exit 0
