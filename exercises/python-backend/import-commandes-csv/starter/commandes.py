"""Import des commandes CSV du jour et export d'un rapport JSON."""

import csv
import json


def convertir_montant(texte):
    """Convertit '1 250,00' en 1250.0."""
    # TODO : retirer les espaces et remplacer la virgule par un point
    return float(texte)


def lire_commandes(chemin):
    """Lit le fichier CSV (séparateur ';') et renvoie une liste de dictionnaires."""
    commandes = []
    # TODO : choisir le bon encodage pour gérer la BOM éventuelle
    with open(chemin, encoding="utf-8", newline="") as fichier:
        lecteur = csv.DictReader(fichier)  # TODO : le séparateur n'est pas la virgule !
        for ligne in lecteur:
            # TODO : nettoyer les valeurs, convertir id et montant, ignorer les lignes vides
            commandes.append(ligne)
    return commandes


def resume(commandes):
    """Calcule les indicateurs du rapport quotidien."""
    # TODO
    raise NotImplementedError("resume n'est pas encore écrite")


def exporter_json(donnees, chemin):
    """Écrit donnees dans chemin, en JSON UTF-8 indenté, accents conservés."""
    # TODO
    raise NotImplementedError("exporter_json n'est pas encore écrite")
