"""Statistiques sur les ventes d'une boutique en ligne."""


def montant(vente):
    """Montant d'une ligne de vente."""
    return vente["quantite"] * vente["prix_unitaire"]


def chiffre_affaires(ventes):
    """Somme de quantite * prix_unitaire sur toutes les lignes."""
    total = 0
    for vente in ventes:
        total += montant(vente)
    return total


def ca_par_ville(ventes):
    """Dictionnaire {ville: chiffre d'affaires de la ville}."""
    resultat = {}
    for vente in ventes:
        ville = vente["ville"]
        # get(ville, 0) évite la KeyError la première fois qu'on voit la ville.
        resultat[ville] = resultat.get(ville, 0) + montant(vente)
    return resultat


def meilleure_ville(ventes):
    """Ville au plus gros chiffre d'affaires (None si aucune vente)."""
    totaux = ca_par_ville(ventes)
    if not totaux:
        return None
    # Clé de tri : CA décroissant (d'où le signe moins), puis nom croissant.
    classement = sorted(totaux.items(), key=lambda couple: (-couple[1], couple[0]))
    return classement[0][0]


def produits_distincts(ventes):
    """Liste triée des produits vendus, sans doublon."""
    # Compréhension d'ensemble : les doublons disparaissent d'eux-mêmes.
    return sorted({vente["produit"] for vente in ventes})


def top_produits(ventes, n=3):
    """Les n produits les plus vendus : liste de tuples (produit, quantité)."""
    quantites = {}
    for vente in ventes:
        produit = vente["produit"]
        quantites[produit] = quantites.get(produit, 0) + vente["quantite"]
    classement = sorted(quantites.items(), key=lambda couple: (-couple[1], couple[0]))
    return classement[:n]
