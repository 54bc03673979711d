import pytest

from prix import etiquette, formater_prix, prix_ttc


@pytest.mark.points(3)
@pytest.mark.parametrize(
    "prix_ht, taux, attendu",
    [
        (100, None, 120.0),
        (100, 0.10, 110.0),
        (19.99, None, 23.99),
        (0, None, 0.0),
    ],
)
def test_prix_ttc(prix_ht, taux, attendu):
    """prix_ttc applique la TVA (20 % par défaut) et arrondit à 2 décimales"""
    if taux is None:
        resultat = prix_ttc(prix_ht)
        appel = f"prix_ttc({prix_ht})"
    else:
        resultat = prix_ttc(prix_ht, taux)
        appel = f"prix_ttc({prix_ht}, {taux})"
    assert resultat == pytest.approx(attendu, abs=1e-9), (
        f"{appel} devrait valoir {attendu!r}, obtenu {resultat!r}"
    )


@pytest.mark.points(4)
@pytest.mark.parametrize(
    "montant, attendu",
    [
        (1234.5, "1 234,50 MAD"),
        (7, "7,00 MAD"),
        (999.999, "1 000,00 MAD"),
        (1250000, "1 250 000,00 MAD"),
        (35.9, "35,90 MAD"),
    ],
)
def test_formater_prix(montant, attendu):
    """formater_prix affiche deux décimales, une virgule et des espaces de milliers"""
    resultat = formater_prix(montant)
    assert resultat == attendu, (
        f"formater_prix({montant!r}) devrait renvoyer {attendu!r}, obtenu {resultat!r}"
    )


@pytest.mark.points(3)
@pytest.mark.parametrize(
    "nom, prix_ht, attendu",
    [
        ("  thé VERT à la menthe ", 25, "Thé vert à la menthe : 30,00 MAD"),
        ("huile d'argan", 1000, "Huile d'argan : 1 200,00 MAD"),
    ],
)
def test_etiquette(nom, prix_ht, attendu):
    """etiquette nettoie le nom et affiche le prix TTC formaté"""
    resultat = etiquette(nom, prix_ht)
    assert resultat == attendu, (
        f"etiquette({nom!r}, {prix_ht!r}) devrait renvoyer {attendu!r}, obtenu {resultat!r}"
    )
