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
    df = pd.read_csv(
        chemin,
        sep=";",                        # séparateur de colonnes d'Excel en français
        decimal=",",                    # 149,90 -> 149.9
        thousands=" ",                  # 1 299,00 -> 1299.0
        encoding="cp1252",              # encodage Windows : sinon « Fès » est illisible
        dtype={"Code magasin": str},    # garder les zéros en tête : "007", pas 7
    )
    df = df.rename(columns=COLONNES)
    # Les dates sont au format jour/mois/année : on donne le format explicitement
    # pour que le 01/03/2024 soit bien le 1er mars et non le 3 janvier.
    df["date"] = pd.to_datetime(df["date"], format="%d/%m/%Y")
    return df


def ajouter_montant(df):
    """Copie de df avec une colonne "montant" = quantite * prix_unitaire, arrondie à 2 décimales."""
    resultat = df.copy()
    resultat["montant"] = (resultat["quantite"] * resultat["prix_unitaire"]).round(2)
    return resultat


def resume(df):
    """Petit résumé du fichier : nombre de lignes, villes, quantité et chiffre d'affaires."""
    montants = df["quantite"] * df["prix_unitaire"]
    return {
        "nb_lignes": len(df),
        "villes": sorted(df["ville"].unique()),
        "quantite_totale": int(df["quantite"].sum()),
        "ca_total": round(float(montants.sum()), 2),
    }
