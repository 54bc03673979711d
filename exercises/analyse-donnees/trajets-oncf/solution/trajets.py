"""Sélections et filtres sur les trajets de trains d'une semaine (données fictives)."""

import pandas as pd


def colonnes_essentielles(df):
    """Sous-tableau avec seulement date, gare_depart, gare_arrivee, classe et voyageurs."""
    # Une LISTE de noms entre crochets -> un DataFrame (deux paires de crochets).
    return df[["date", "gare_depart", "gare_arrivee", "classe", "voyageurs"]]


def departs_de(df, gare):
    """Tous les trajets au départ de la gare donnée."""
    masque = df["gare_depart"] == gare  # une Series de True / False
    return df[masque]


def trains_presque_complets(df, seuil=0.9):
    """Trajets dont le taux de remplissage voyageurs / places atteint au moins le seuil."""
    taux = df["voyageurs"] / df["places"]
    return df[taux >= seuil]


def selection(df, lignes, classe):
    """Trajets d'une des lignes données ET de la classe donnée."""
    # isin teste l'appartenance à une liste ; & combine deux conditions.
    # Les parenthèses autour de chaque condition sont obligatoires.
    masque = df["ligne"].isin(lignes) & (df["classe"] == classe)
    return df.loc[masque]


def recette_moyenne(df, depart, arrivee):
    """Recette moyenne (MAD, arrondie à 2 décimales) sur une relation ; 0.0 si aucun trajet."""
    masque = (df["gare_depart"] == depart) & (df["gare_arrivee"] == arrivee)
    recettes = df.loc[masque, "recette_mad"]  # loc[lignes, colonne]
    if recettes.empty:
        return 0.0  # la moyenne d'une Series vide serait NaN
    return round(float(recettes.mean()), 2)


def top_recettes(df, n=5):
    """Les n trajets qui rapportent le plus : colonnes id_trajet, ligne, recette_mad."""
    tries = df.sort_values("recette_mad", ascending=False)
    return tries.loc[:, ["id_trajet", "ligne", "recette_mad"]].head(n)
