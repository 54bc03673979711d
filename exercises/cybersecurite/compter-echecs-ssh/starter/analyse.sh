#!/usr/bin/env bash
# Compte les échecs de connexion SSH (lignes « Failed password ») d'un journal auth.log.
# Usage : bash analyse.sh <fichier_journal>
set -euo pipefail

# TODO 1 : si aucun argument n'est donné ($# vaut 0), afficher un message
#          d'usage sur la sortie d'erreur (>&2) et quitter avec le code 2.

journal="${1:-}"

# TODO 2 : compter les lignes de "$journal" qui contiennent « Failed password »
#          et afficher ce nombre (et rien d'autre) sur la sortie standard.
#          Attention : le script doit se terminer avec le code 0 même quand
#          il n'y a aucun échec.
echo 0
