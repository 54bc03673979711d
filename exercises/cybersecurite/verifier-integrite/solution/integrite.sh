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

erreur() {
    echo "Erreur : $1" >&2
    echo "Usage : bash integrite.sh <manifeste> <répertoire>" >&2
    exit 2
}

[[ $# -eq 2 ]] || erreur "il faut exactement deux arguments"
manifeste="$1"
repertoire="$2"
[[ -f "$manifeste" ]] || erreur "manifeste « $manifeste » introuvable"
[[ -d "$repertoire" ]] || erreur "répertoire « $repertoire » introuvable"

ok=0
modifies=0
absents=0
nouveaux=0
declare -A connus   # chemins listés dans le manifeste (tableau associatif)

# 1. Chaque ligne du manifeste : « empreinte<espace><espace>chemin ».
while IFS= read -r ligne || [[ -n "$ligne" ]]; do
    [[ -z "$ligne" ]] && continue
    attendue="${ligne%% *}"   # tout ce qui précède le premier espace
    chemin="${ligne#*  }"     # tout ce qui suit les deux premiers espaces
    connus["$chemin"]=1
    if [[ ! -f "$chemin" ]]; then
        echo "ABSENT $chemin"
        absents=$((absents + 1))
        continue
    fi
    # Lire le fichier sur l'entrée standard : sha256sum affiche alors
    # « empreinte  - », sans se soucier des caractères du nom.
    actuelle=$(sha256sum < "$chemin")
    actuelle="${actuelle%% *}"
    if [[ "$actuelle" == "$attendue" ]]; then
        ok=$((ok + 1))
    else
        echo "MODIFIE $chemin"
        modifies=$((modifies + 1))
    fi
done < "$manifeste"

# 2. Les fichiers présents sur le disque mais inconnus du manifeste.
#    find voit aussi les fichiers cachés (.cache.php), contrairement à « * ».
while IFS= read -r -d '' fichier; do
    if [[ -z "${connus[$fichier]+present}" ]]; then
        echo "NOUVEAU $fichier"
        nouveaux=$((nouveaux + 1))
    fi
done < <(find "$repertoire" -type f -print0 | sort -z)

echo "RESUME ok=$ok modifies=$modifies absents=$absents nouveaux=$nouveaux"

if ((modifies + absents + nouveaux > 0)); then
    exit 1
fi
