"""Exportations agricoles par produit, pays et année (données fictives).

exports  : annee, code_produit, pays_destination, tonnes, valeur_mdh (millions de dirhams)
produits : code_produit, produit, filiere (le référentiel des produits)
"""

import pandas as pd


def joindre_produits(exports, produits):
    """Ajoute produit et filiere à chaque ligne d'exportation ; "Inconnu" si le code est absent."""
    # how="left" : on garde TOUTES les exportations, même sans correspondance.
    # validate="many_to_one" : lève une erreur si un code apparaît deux fois dans le référentiel
    # (sinon la jointure dupliquerait silencieusement des lignes).
    resultat = exports.merge(produits, on="code_produit", how="left", validate="many_to_one")
    return resultat.fillna({"produit": "Inconnu", "filiere": "Inconnu"})


def codes_inconnus(exports, produits):
    """Liste triée (sans doublon) des codes exportés absents du référentiel."""
    controle = exports.merge(produits, on="code_produit", how="left", indicator=True)
    # _merge vaut "left_only" quand la ligne de gauche n'a trouvé aucun partenaire.
    absents = controle.loc[controle["_merge"] == "left_only", "code_produit"]
    return sorted(absents.unique())


def tableau_filieres(df):
    """Tableau croisé : une ligne par filière, une colonne par année, valeur en MDH (0,1 près)."""
    tableau = df.pivot_table(
        index="filiere",
        columns="annee",
        values="valeur_mdh",
        aggfunc="sum",
        fill_value=0,  # filière sans exportation une année donnée -> 0 plutôt que NaN
    )
    return tableau.round(1)


def evolution(tableau, debut, fin):
    """Évolution (en %) de chaque filière entre deux années, triée décroissante.

    Les filières sans exportation l'année de début sont exclues (division par zéro).
    """
    base = tableau[debut]
    avec_base = tableau[base > 0]
    variation = (avec_base[fin] - avec_base[debut]) / avec_base[debut] * 100
    return variation.round(1).sort_values(ascending=False).rename("evolution_pct")


def top_destinations(df, filiere, n=3):
    """Les n pays qui reçoivent le plus de tonnes de la filière (toutes années confondues)."""
    tonnes = df.loc[df["filiere"] == filiere].groupby("pays_destination")["tonnes"].sum()
    return tonnes.sort_values(ascending=False).head(n).index.tolist()
