"""Statistiques sur les ventes d'une boutique en ligne."""


def chiffre_affaires(ventes):
    """Somme de quantite * prix_unitaire sur toutes les lignes."""
    total = 0
    for vente in ventes:
        # TODO : ajouter le montant de la ligne au total
        pass
    return total


def ca_par_ville(ventes):
    """Dictionnaire {ville: chiffre d'affaires de la ville}."""
    resultat = {}
    # TODO : parcourir les ventes et cumuler les montants par ville
    return resultat


def meilleure_ville(ventes):
    """Ville au plus gros chiffre d'affaires (None si aucune vente)."""
    # TODO : réutiliser ca_par_ville ; attention au cas d'égalité
    raise NotImplementedError("meilleure_ville n'est pas encore écrite")


def produits_distincts(ventes):
    """Liste triée des produits vendus, sans doublon."""
    # TODO : un ensemble (set) élimine les doublons
    raise NotImplementedError("produits_distincts n'est pas encore écrite")


def top_produits(ventes, n=3):
    """Les n produits les plus vendus : liste de tuples (produit, quantité)."""
    # TODO : cumuler les quantités par produit, trier, puis découper avec [:n]
    raise NotImplementedError("top_produits n'est pas encore écrite")
