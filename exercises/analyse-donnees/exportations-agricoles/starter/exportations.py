"""Exportations agricoles par produit, pays et année (données fictives).

exports  : annee, code_produit, pays_destination, tonnes, valeur_mdh (millions de dirhams)
produits : code_produit, produit, filiere (le référentiel des produits)
"""

import pandas as pd


def joindre_produits(exports, produits):
    """Ajoute produit et filiere à chaque ligne d'exportation ; "Inconnu" si le code est absent."""
    # TODO : exports.merge(produits, on=..., how=...) puis fillna pour les codes inconnus
    raise NotImplementedError("joindre_produits n'est pas encore écrite")


def codes_inconnus(exports, produits):
    """Liste triée (sans doublon) des codes exportés absents du référentiel."""
    # TODO : merge(..., indicator=True) puis filtrer sur "left_only" (ou bien isin)
    raise NotImplementedError("codes_inconnus n'est pas encore écrite")


def tableau_filieres(df):
    """Tableau croisé : une ligne par filière, une colonne par année, valeur en MDH (0,1 près)."""
    # TODO : pivot_table(index=..., columns=..., values=..., aggfunc=..., fill_value=0)
    raise NotImplementedError("tableau_filieres n'est pas encore écrite")


def evolution(tableau, debut, fin):
    """Évolution (en %) de chaque filière entre deux années, triée décroissante.

    Les filières sans exportation l'année de début sont exclues (division par zéro).
    """
    # TODO
    raise NotImplementedError("evolution n'est pas encore écrite")


def top_destinations(df, filiere, n=3):
    """Les n pays qui reçoivent le plus de tonnes de la filière (toutes années confondues)."""
    # TODO
    raise NotImplementedError("top_destinations n'est pas encore écrite")
