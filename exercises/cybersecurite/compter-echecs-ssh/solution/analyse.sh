#!/usr/bin/env bash
# Compte les échecs de connexion SSH (lignes « Failed password ») d'un journal auth.log.
# Usage : bash analyse.sh <fichier_journal>
set -euo pipefail

# Sans argument, on explique comment utiliser le script, sur la sortie d'erreur,
# et on quitte avec le code 2 (convention : « mauvaise utilisation »).
if [[ $# -lt 1 ]]; then
    echo "Usage : bash analyse.sh <fichier_journal>" >&2
    exit 2
fi

journal="$1"

# grep -c compte les lignes qui correspondent. Quand il n'en trouve aucune,
# il affiche 0 mais renvoie le code 1 : sans « || true », set -e arrêterait
# le script avec ce code 1.
nombre=$(grep -c -F "Failed password" -- "$journal" || true)

echo "$nombre"
