"""Sélections et filtres sur les trajets de trains d'une semaine (données fictives)."""

import pandas as pd


def colonnes_essentielles(df):
    """Sous-tableau avec seulement date, gare_depart, gare_arrivee, classe et voyageurs."""
    # TODO : sélectionner une liste de colonnes
    raise NotImplementedError("colonnes_essentielles n'est pas encore écrite")


def departs_de(df, gare):
    """Tous les trajets au départ de la gare donnée."""
    # TODO : construire un masque booléen sur la colonne gare_depart
    raise NotImplementedError("departs_de n'est pas encore écrite")


def trains_presque_complets(df, seuil=0.9):
    """Trajets dont le taux de remplissage voyageurs / places atteint au moins le seuil."""
    # TODO
    raise NotImplementedError("trains_presque_complets n'est pas encore écrite")


def selection(df, lignes, classe):
    """Trajets d'une des lignes données ET de la classe donnée."""
    # TODO : isin pour les lignes, == pour la classe, & pour combiner (avec des parenthèses !)
    raise NotImplementedError("selection n'est pas encore écrite")


def recette_moyenne(df, depart, arrivee):
    """Recette moyenne (MAD, arrondie à 2 décimales) sur une relation ; 0.0 si aucun trajet."""
    # TODO : df.loc[masque, "recette_mad"], puis mean() ; attention au cas sans trajet
    raise NotImplementedError("recette_moyenne n'est pas encore écrite")


def top_recettes(df, n=5):
    """Les n trajets qui rapportent le plus : colonnes id_trajet, ligne, recette_mad."""
    # TODO : sort_values, sélection des 3 colonnes, head(n)
    raise NotImplementedError("top_recettes n'est pas encore écrite")
