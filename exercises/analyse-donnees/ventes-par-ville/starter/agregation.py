"""Indicateurs de ventes par ville pour une enseigne de distribution (données fictives).

Chaque ligne du DataFrame est une LIGNE de commande : une même commande (id_commande)
peut contenir plusieurs produits, donc occuper plusieurs lignes.
"""

import pandas as pd


def ca_par_ville(df):
    """Chiffre d'affaires par ville (Series nommée "ca"), du plus grand au plus petit."""
    # TODO : montant = quantite * prix_unitaire, groupby ville, sum, tri, rename("ca")
    raise NotImplementedError("ca_par_ville n'est pas encore écrite")


def indicateurs_par_ville(df):
    """Un DataFrame indexé par ville : nb_commandes, quantite_totale, ca_total, panier_moyen."""
    lignes = df.assign(montant=df["quantite"] * df["prix_unitaire"])
    # TODO : groupby("ville").agg(nb_commandes=(..., ...), quantite_totale=..., ca_total=...)
    # TODO : panier_moyen = ca_total / nb_commandes ; arrondir les montants à 2 décimales
    raise NotImplementedError("indicateurs_par_ville n'est pas encore écrite")


def part_categories(df):
    """Pour chaque (ville, categorie) : le CA et sa part (en %) dans le CA de la ville."""
    # TODO : groupby sur deux colonnes, puis transform("sum") pour le total de la ville
    raise NotImplementedError("part_categories n'est pas encore écrite")


def meilleur_produit_par_ville(df):
    """Dictionnaire {ville: produit le plus vendu en quantité} ; égalité -> ordre alphabétique."""
    # TODO : quantités par (ville, produit), puis garder le meilleur produit de chaque ville
    raise NotImplementedError("meilleur_produit_par_ville n'est pas encore écrite")
