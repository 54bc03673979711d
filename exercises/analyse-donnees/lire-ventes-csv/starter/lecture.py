"""Lecture de l'export des ventes des magasins (fichier Excel enregistré en CSV)."""

import pandas as pd

# En-têtes du fichier -> noms de colonnes pratiques à manipuler en Python.
COLONNES = {
    "Date": "date",
    "Code magasin": "code_magasin",
    "Ville": "ville",
    "Catégorie": "categorie",
    "Produit": "produit",
    "Quantité": "quantite",
    "Prix unitaire (MAD)": "prix_unitaire",
}


def lire_ventes(chemin):
    """Lit le fichier CSV des ventes et renvoie un DataFrame propre et bien typé."""
    # TODO : ce premier essai ne suffit pas ! Ajoutez les bons paramètres :
    #   séparateur, virgule décimale, séparateur de milliers, encodage Windows,
    #   et un dtype pour garder les zéros en tête du code magasin.
    df = pd.read_csv(chemin)
    # TODO : renommer les colonnes avec le dictionnaire COLONNES
    # TODO : convertir la colonne des dates (format jour/mois/année)
    return df


def ajouter_montant(df):
    """Copie de df avec une colonne "montant" = quantite * prix_unitaire, arrondie à 2 décimales."""
    # TODO
    raise NotImplementedError("ajouter_montant n'est pas encore écrite")


def resume(df):
    """Petit résumé du fichier : nombre de lignes, villes, quantité et chiffre d'affaires."""
    # TODO : renvoyer un dictionnaire avec les clés
    #   "nb_lignes", "villes", "quantite_totale", "ca_total"
    raise NotImplementedError("resume n'est pas encore écrite")
