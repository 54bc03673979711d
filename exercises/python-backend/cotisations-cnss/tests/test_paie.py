import pytest

from paie import cotisation_amo, cotisation_cnss, salaire_net, total_cotisations


@pytest.mark.points(2)
@pytest.mark.parametrize("brut, attendu", [(4000, 179.2), (6000, 268.8), (2500, 112.0)])
def test_cnss_sous_le_plafond(brut, attendu):
    """CNSS : 4,48 % du salaire quand il ne dépasse pas 6 000 MAD"""
    resultat = cotisation_cnss(brut)
    assert resultat == pytest.approx(attendu, abs=1e-6), (
        f"cotisation_cnss({brut}) devrait valoir {attendu}, obtenu {resultat!r}"
    )


@pytest.mark.points(2)
@pytest.mark.parametrize("brut", [6000.01, 10000, 25000])
def test_cnss_plafonnee(brut):
    """CNSS : au-delà de 6 000 MAD, la cotisation reste à 268,80 MAD"""
    resultat = cotisation_cnss(brut)
    assert resultat == pytest.approx(268.8, abs=1e-6), (
        f"cotisation_cnss({brut}) devrait être plafonnée à 268.8, obtenu {resultat!r}"
    )


@pytest.mark.points(2)
@pytest.mark.parametrize("brut, attendu", [(3500, 79.1), (10000, 226.0), (25000, 565.0)])
def test_amo_non_plafonnee(brut, attendu):
    """AMO : 2,26 % du salaire entier, sans plafond"""
    resultat = cotisation_amo(brut)
    assert resultat == pytest.approx(attendu, abs=1e-6), (
        f"cotisation_amo({brut}) devrait valoir {attendu}, obtenu {resultat!r}"
    )


@pytest.mark.points(1)
@pytest.mark.parametrize("brut", [0, -500])
def test_salaire_nul_ou_negatif(brut):
    """Un salaire nul ou négatif ne génère aucune cotisation"""
    cnss = cotisation_cnss(brut)
    amo = cotisation_amo(brut)
    assert cnss == 0, f"cotisation_cnss({brut}) devrait valoir 0.0, obtenu {cnss!r}"
    assert amo == 0, f"cotisation_amo({brut}) devrait valoir 0.0, obtenu {amo!r}"


@pytest.mark.points(2)
@pytest.mark.parametrize("brut, attendu", [(10000, 9505.2), (4000, 3730.4)])
def test_salaire_net(brut, attendu):
    """salaire_net retire la CNSS et l'AMO du salaire brut"""
    resultat = salaire_net(brut)
    assert resultat == pytest.approx(attendu, abs=1e-6), (
        f"salaire_net({brut}) devrait valoir {attendu}, obtenu {resultat!r}"
    )


@pytest.mark.points(2)
def test_total_cotisations():
    """total_cotisations additionne CNSS et AMO de tous les employés"""
    resultat = total_cotisations([4000, 10000])
    # 4000 -> 179.20 + 90.40 ; 10000 -> 268.80 + 226.00
    assert resultat == pytest.approx(764.4, abs=1e-6), (
        f"total_cotisations([4000, 10000]) devrait valoir 764.4, obtenu {resultat!r}"
    )
    vide = total_cotisations([])
    assert vide == 0, f"total_cotisations([]) devrait valoir 0.0, obtenu {vide!r}"
