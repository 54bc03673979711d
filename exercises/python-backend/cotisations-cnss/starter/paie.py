"""Calcul simplifié des cotisations salariales (CNSS et AMO)."""

PLAFOND_CNSS = 6000          # en MAD par mois
TAUX_CNSS_SALARIE = 0.0448   # 4,48 %
TAUX_AMO_SALARIE = 0.0226    # 2,26 %


def cotisation_cnss(salaire_brut):
    """Cotisation CNSS salariale : 4,48 % du salaire plafonné à 6 000 MAD."""
    # TODO : gérer le cas d'un salaire négatif ou nul (renvoyer 0.0)
    # TODO : appliquer le plafond (indice : la fonction min)
    return round(salaire_brut * TAUX_CNSS_SALARIE, 2)


def cotisation_amo(salaire_brut):
    """Cotisation AMO salariale : 2,26 % du salaire brut, sans plafond."""
    # TODO
    raise NotImplementedError("cotisation_amo n'est pas encore écrite")


def salaire_net(salaire_brut):
    """Salaire brut moins les cotisations CNSS et AMO (sans IR)."""
    # TODO
    raise NotImplementedError("salaire_net n'est pas encore écrite")


def total_cotisations(salaires):
    """Somme des cotisations CNSS + AMO pour une liste de salaires bruts."""
    total = 0.0
    # TODO : parcourir la liste avec une boucle for et cumuler les cotisations
    return total
