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

# TODO 1 : si "$cible" n'est pas un répertoire, message d'erreur sur la
#          sortie d'erreur et code de sortie 2.

# TODO 2 : avec find, lister les fichiers ordinaires (-type f) qui ont le bit
#          SUID, puis ceux qui ont le bit SGID, puis ceux qui sont modifiables
#          par tout le monde, en préfixant chaque chemin par SUID, SGID ou ECRITURE.
#          Attention aux noms de fichiers qui contiennent des espaces !

# TODO 3 : quitter avec le code 1 si au moins une anomalie a été trouvée.
exit 0
