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

# Fichier de travail temporaire, supprimé à la sortie du script quoi qu'il arrive.
suspectes=$(mktemp)
trap 'rm -f "$suspectes"' EXIT

# Étape 1 : une ligne « ip statut url » par requête suspecte, dans l'ordre du journal.
# awk lit d'abord le fichier de motifs (NR == FNR), puis le journal.
# Avec -F'"', une ligne « combined » se découpe ainsi :
#   $1 = 'ip - utilisateur [date] '   $2 = 'GET /url HTTP/1.1'
#   $3 = ' statut taille '            $4 = referer   $6 = user-agent
# On ne compare aux motifs que l'URL, en minuscules des deux côtés.
awk -F'"' '
    NR == FNR {
        ligne = $0
        sub(/\r$/, "", ligne)                        # fichier venu de Windows ?
        gsub(/^[ \t]+|[ \t]+$/, "", ligne)
        if (ligne == "" || substr(ligne, 1, 1) == "#") next
        motif[++nb] = tolower(ligne)
        next
    }
    {
        split($1, debut, " "); ip = debut[1]
        split($2, requete, " "); url = requete[2]   # vide si la requête est mal formée
        split($3, fin, " "); statut = fin[1]
        u = tolower(url)
        for (i = 1; i <= nb; i++) {
            if (url != "" && index(u, motif[i]) > 0) {
                print ip, statut, url
                break                                # une requête ne compte qu une fois
            }
        }
    }
' "$motifs" "$journal" > "$suspectes"

# Étape 2 : le nombre de requêtes suspectes par adresse.
awk '{ print $1 }' "$suspectes" \
    | sort \
    | uniq -c \
    | awk '{ print $2, $1 }' \
    | sort -k2,2nr -k1,1

# Étape 3 : le total (wc -l lit l'entrée standard pour ne pas afficher de nom de fichier).
echo "TOTAL $(wc -l < "$suspectes")"

# Étape 4 : les requêtes suspectes qui ont abouti (code 200).
awk '$2 == "200" { print "REUSSIE", $1, $3 }' "$suspectes"
