"""Indicateurs de ventes par ville pour une enseigne de distribution (données fictives).

Chaque ligne du DataFrame est une LIGNE de commande : une même commande (id_commande)
peut contenir plusieurs produits, donc occuper plusieurs lignes.
"""

import pandas as pd


def ca_par_ville(df):
    """Chiffre d'affaires par ville (Series nommée "ca"), du plus grand au plus petit."""
    montant = df["quantite"] * df["prix_unitaire"]
    # On peut grouper une Series selon une autre Series de même index.
    ca = montant.groupby(df["ville"]).sum().round(2)
    return ca.sort_values(ascending=False).rename("ca")


def indicateurs_par_ville(df):
    """Un DataFrame indexé par ville : nb_commandes, quantite_totale, ca_total, panier_moyen."""
    lignes = df.assign(montant=df["quantite"] * df["prix_unitaire"])
    # Agrégations nommées : nom_de_sortie=(colonne, fonction).
    resultat = lignes.groupby("ville").agg(
        nb_commandes=("id_commande", "nunique"),  # une commande = plusieurs lignes : nunique !
        quantite_totale=("quantite", "sum"),
        ca_total=("montant", "sum"),
    )
    resultat["panier_moyen"] = resultat["ca_total"] / resultat["nb_commandes"]
    return resultat.round({"ca_total": 2, "panier_moyen": 2})


def part_categories(df):
    """Pour chaque (ville, categorie) : le CA et sa part (en %) dans le CA de la ville."""
    lignes = df.assign(montant=df["quantite"] * df["prix_unitaire"])
    resultat = (
        lignes.groupby(["ville", "categorie"], as_index=False)["montant"].sum()
        .rename(columns={"montant": "ca"})
    )
    # transform("sum") renvoie, pour CHAQUE ligne, le total de son groupe :
    # le résultat a la même longueur que le tableau, on peut donc diviser directement.
    total_ville = resultat.groupby("ville")["ca"].transform("sum")
    resultat["part_pct"] = (resultat["ca"] / total_ville * 100).round(1)
    resultat["ca"] = resultat["ca"].round(2)
    return resultat.sort_values(["ville", "categorie"]).reset_index(drop=True)


def meilleur_produit_par_ville(df):
    """Dictionnaire {ville: produit le plus vendu en quantité} ; égalité -> ordre alphabétique."""
    quantites = df.groupby(["ville", "produit"])["quantite"].sum().reset_index()
    # Tri par ville, quantité décroissante puis produit croissant : la première ligne
    # de chaque ville est la bonne, égalités comprises.
    quantites = quantites.sort_values(["ville", "quantite", "produit"],
                                      ascending=[True, False, True])
    premiers = quantites.drop_duplicates(subset="ville", keep="first")
    return dict(zip(premiers["ville"], premiers["produit"]))
