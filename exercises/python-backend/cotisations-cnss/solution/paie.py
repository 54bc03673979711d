"""Calcul simplifié des cotisations salariales (CNSS et AMO)."""

PLAFOND_CNSS = 6000          # en MAD par mois
TAUX_CNSS_SALARIE = 0.0448   # 4,48 %
TAUX_AMO_SALARIE = 0.0226    # 2,26 %


def cotisation_cnss(salaire_brut):
    """Cotisation CNSS salariale : 4,48 % du salaire plafonné à 6 000 MAD."""
    if salaire_brut <= 0:
        return 0.0
    # min() applique le plafond : au-delà de 6 000 MAD, l'assiette ne bouge plus.
    assiette = min(salaire_brut, PLAFOND_CNSS)
    return round(assiette * TAUX_CNSS_SALARIE, 2)


def cotisation_amo(salaire_brut):
    """Cotisation AMO salariale : 2,26 % du salaire brut, sans plafond."""
    if salaire_brut <= 0:
        return 0.0
    return round(salaire_brut * TAUX_AMO_SALARIE, 2)


def salaire_net(salaire_brut):
    """Salaire brut moins les cotisations CNSS et AMO (sans IR)."""
    retenues = cotisation_cnss(salaire_brut) + cotisation_amo(salaire_brut)
    return round(salaire_brut - retenues, 2)


def total_cotisations(salaires):
    """Somme des cotisations CNSS + AMO pour une liste de salaires bruts."""
    total = 0.0
    for salaire in salaires:
        total += cotisation_cnss(salaire) + cotisation_amo(salaire)
    # On arrondit le total à la fin pour gommer les petites erreurs des flottants.
    return round(total, 2)
