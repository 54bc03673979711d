"""Calcul et affichage des prix pour une boutique en ligne marocaine."""

TAUX_TVA_NORMAL = 0.20


def prix_ttc(prix_ht, taux_tva=TAUX_TVA_NORMAL):
    """Renvoie le prix TTC arrondi à 2 décimales."""
    # On arrondit une seule fois, à la fin du calcul, pour éviter
    # d'accumuler des erreurs d'arrondi.
    return round(prix_ht * (1 + taux_tva), 2)


def formater_prix(montant):
    """Renvoie le montant au format marocain, par exemple '1 234,50 MAD'."""
    # Format anglo-saxon d'abord : '1,234.50'
    texte = f"{montant:,.2f}"
    # On remplace d'abord les virgules (milliers) par des espaces,
    # PUIS le point décimal par une virgule. Dans l'autre ordre,
    # toutes les virgules deviendraient des espaces !
    texte = texte.replace(",", " ").replace(".", ",")
    return f"{texte} MAD"


def etiquette(nom, prix_ht):
    """Renvoie le texte de l'étiquette : 'Nom du produit : 30,00 MAD'."""
    nom_propre = nom.strip().capitalize()
    return f"{nom_propre} : {formater_prix(prix_ttc(prix_ht))}"
