"""Calcul et affichage des prix pour une boutique en ligne marocaine."""

TAUX_TVA_NORMAL = 0.20


def prix_ttc(prix_ht, taux_tva=TAUX_TVA_NORMAL):
    """Renvoie le prix TTC arrondi à 2 décimales."""
    # TODO : multiplier le prix HT par (1 + taux) puis arrondir avec round(..., 2)
    raise NotImplementedError("prix_ttc n'est pas encore écrite")


def formater_prix(montant):
    """Renvoie le montant au format marocain, par exemple '1 234,50 MAD'."""
    # TODO : utiliser une f-string avec le format ",.2f" puis remplacer
    #        les séparateurs (virgule -> espace, point -> virgule)
    raise NotImplementedError("formater_prix n'est pas encore écrite")


def etiquette(nom, prix_ht):
    """Renvoie le texte de l'étiquette : 'Nom du produit : 30,00 MAD'."""
    # TODO : nettoyer le nom (strip, capitalize) et réutiliser les deux fonctions
    raise NotImplementedError("etiquette n'est pas encore écrite")
