#!/usr/bin/env bash
# Recherche des indicateurs de compromission (IoC) dans des journaux.
# Usage : bash ioc.sh <fichier_iocs> <journal> [<journal>...]
# Pour chaque IoC (dans l'ordre du fichier) et chaque journal (dans l'ordre des
# arguments) où il apparaît, affiche : <type> <valeur> <journal> <nombre_de_lignes>
# Puis : IOC_TROUVES <nombre d'IoC trouvés au moins une fois>/<nombre total d'IoC>
# Code de sortie : 1 si au moins un IoC est trouvé, 0 sinon, 2 si mauvaise utilisation.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "Usage : bash ioc.sh <fichier_iocs> <journal> [<journal>...]" >&2
    exit 2
fi
fichier_iocs="$1"
shift                      # il ne reste que les journaux dans "$@"
if [[ ! -r "$fichier_iocs" ]]; then
    echo "Erreur : fichier d'indicateurs « $fichier_iocs » illisible" >&2
    exit 2
fi

total=0
trouves=0

# « || [[ -n $ligne ]] » traite aussi une dernière ligne sans retour à la ligne.
while IFS= read -r ligne || [[ -n "$ligne" ]]; do
    ligne="${ligne%$'\r'}"                     # fichier venu de Windows (CRLF)
    [[ -z "${ligne//[[:space:]]/}" ]] && continue   # ligne vide
    [[ "$ligne" == \#* ]] && continue                # commentaire

    type="${ligne%%:*}"                        # avant le premier « : »
    valeur="${ligne#*:}"                       # après le premier « : »
    valeur="${valeur//\[.\]/.}"                # réarmer : [.] -> .
    total=$((total + 1))

    present=0
    for journal in "$@"; do
        # -F : texte exact (le point n'est pas un joker) ;
        # -w : mot entier (198.51.100.6 ne doit pas trouver 198.51.100.66) ;
        # -i : sans tenir compte de la casse (empreintes en majuscules) ;
        # -c : nombre de lignes. « || true » : 0 ligne n'est pas une erreur.
        nombre=$(grep -c -i -w -F -- "$valeur" "$journal" || true)
        if ((nombre > 0)); then
            echo "$type $valeur $journal $nombre"
            present=1
        fi
    done
    trouves=$((trouves + present))
done < "$fichier_iocs"

echo "IOC_TROUVES $trouves/$total"

if ((trouves > 0)); then
    exit 1
fi
