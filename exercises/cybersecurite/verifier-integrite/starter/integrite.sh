#!/usr/bin/env bash
# Compare une arborescence à un manifeste d'empreintes SHA-256 (format de sha256sum).
# Usage : bash integrite.sh <manifeste> <répertoire>
# Affiche :
#   MODIFIE <chemin>   empreinte différente de celle du manifeste
#   ABSENT <chemin>    listé dans le manifeste mais introuvable
#   NOUVEAU <chemin>   présent dans le répertoire mais absent du manifeste
#   RESUME ok=<n> modifies=<n> absents=<n> nouveaux=<n>
# Code de sortie : 0 si tout est conforme, 1 sinon, 2 en cas de mauvaise utilisation.
set -euo pipefail

manifeste="${1:-}"
repertoire="${2:-}"

# TODO 1 : vérifier les arguments (deux arguments, un fichier et un répertoire
#          existants), sinon message sur la sortie d'erreur et code 2.

ok=0
modifies=0
absents=0
nouveaux=0

# TODO 2 : lire le manifeste ligne par ligne (« empreinte  chemin », séparés
#          par DEUX espaces ; un chemin peut contenir des espaces) et, pour
#          chaque fichier, afficher ABSENT ou MODIFIE, ou compter un fichier OK.

# TODO 3 : lister les fichiers du répertoire (y compris les fichiers cachés)
#          qui ne figurent pas dans le manifeste : NOUVEAU.

echo "RESUME ok=$ok modifies=$modifies absents=$absents nouveaux=$nouveaux"

# TODO 4 : code de sortie 1 s'il y a au moins une anomalie.
