import pytest

from telephone import NumeroInvalideError, est_mobile, nettoyer_liste, normaliser_telephone


@pytest.mark.points(3)
@pytest.mark.parametrize(
    "entree, attendu",
    [
        ("0612345678", "+212612345678"),
        (" 06 12 34 56 78 ", "+212612345678"),
        ("06-12-34-56-78", "+212612345678"),
        ("06.12.34.56.78", "+212612345678"),
        ("+212 7 00 11 22 33", "+212700112233"),
        ("00212522123456", "+212522123456"),
        ("+212612345678", "+212612345678"),
    ],
)
def test_formats_acceptes(entree, attendu):
    """Les formats courants sont normalisés en +212XXXXXXXXX"""
    resultat = normaliser_telephone(entree)
    assert resultat == attendu, (
        f"normaliser_telephone({entree!r}) devrait renvoyer {attendu!r}, obtenu {resultat!r}"
    )


@pytest.mark.points(3)
@pytest.mark.parametrize(
    "entree",
    ["", "06123", "06123456789", "0812345678", "06-12-AB-56-78", "+33612345678", "612345678", "+2120612345678"],
)
def test_numeros_invalides(entree):
    """Un numéro invalide lève NumeroInvalideError avec un message"""
    try:
        resultat = normaliser_telephone(entree)
    except NumeroInvalideError as erreur:
        assert str(erreur).strip() != "", (
            f"l'erreur levée pour {entree!r} devrait contenir un message explicatif"
        )
    else:
        raise AssertionError(
            f"normaliser_telephone({entree!r}) devrait lever NumeroInvalideError, "
            f"mais a renvoyé {resultat!r}"
        )


@pytest.mark.points(1)
def test_erreur_herite_de_valueerror():
    """NumeroInvalideError est une sous-classe de ValueError"""
    assert issubclass(NumeroInvalideError, ValueError), (
        f"NumeroInvalideError devrait hériter de ValueError, ses parents sont {NumeroInvalideError.__mro__[1:]!r}"
    )


@pytest.mark.points(1)
def test_est_mobile():
    """est_mobile distingue mobiles (06, 07) et fixes (05), et laisse remonter l'erreur"""
    for numero, attendu in [("0612345678", True), ("+212 7 00 11 22 33", True), ("0522987654", False)]:
        resultat = est_mobile(numero)
        assert resultat is attendu, f"est_mobile({numero!r}) devrait valoir {attendu}, obtenu {resultat!r}"
    with pytest.raises(NumeroInvalideError):
        est_mobile("pas un numéro")


@pytest.mark.points(2)
def test_nettoyer_liste():
    """nettoyer_liste sépare valides (sans doublon, dans l'ordre) et rejetés"""
    entree = ["0612345678", "abc", "+212612345678", "0522987654", "", "06 12 34 56 78"]
    resultat = nettoyer_liste(entree)
    attendu = (["+212612345678", "+212522987654"], ["abc", ""])
    assert isinstance(resultat, tuple) and len(resultat) == 2, (
        f"nettoyer_liste doit renvoyer un tuple (valides, rejetes), obtenu {resultat!r}"
    )
    assert list(resultat[0]) == attendu[0], f"valides attendus {attendu[0]!r}, obtenu {resultat[0]!r}"
    assert list(resultat[1]) == attendu[1], f"rejetés attendus {attendu[1]!r}, obtenu {resultat[1]!r}"
