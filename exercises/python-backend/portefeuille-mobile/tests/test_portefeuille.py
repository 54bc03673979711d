import pytest

import portefeuille as module
from portefeuille import Portefeuille, SoldeInsuffisantError


@pytest.mark.points(1)
def test_creation():
    """Un nouveau portefeuille a un titulaire, un solde et un historique vide"""
    p = Portefeuille("Amina")
    assert p.titulaire == "Amina", f"titulaire attendu 'Amina', obtenu {p.titulaire!r}"
    assert p.solde == 0, f"solde initial attendu 0, obtenu {p.solde!r}"
    assert p.historique == [], f"historique initial attendu [], obtenu {p.historique!r}"
    with pytest.raises(ValueError):
        Portefeuille("Karim", -50)


@pytest.mark.points(1)
def test_depot():
    """deposer augmente le solde et trace l'opération"""
    p = Portefeuille("Amina", 100)
    p.deposer(250)
    assert p.solde == 350, f"après un dépôt de 250 sur 100, solde attendu 350, obtenu {p.solde!r}"
    assert p.historique == [("depot", 250)], f"historique attendu [('depot', 250)], obtenu {p.historique!r}"


@pytest.mark.points(2)
def test_montants_invalides():
    """Un montant négatif ou nul lève ValueError sans rien modifier"""
    p = Portefeuille("Amina", 500)
    for operation, montant in [("deposer", 0), ("deposer", -20), ("retirer", -1), ("retirer", 0)]:
        try:
            getattr(p, operation)(montant)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{operation}({montant}) devrait lever ValueError")
    autre = Portefeuille("Youssef")
    with pytest.raises(ValueError):
        p.transferer(autre, -100)
    with pytest.raises(ValueError):
        p.transferer(p, 100)
    assert p.solde == 500, f"le solde ne doit pas changer après des opérations refusées, obtenu {p.solde!r}"
    assert p.historique == [], f"l'historique doit rester vide, obtenu {p.historique!r}"


@pytest.mark.points(2)
def test_solde_insuffisant():
    """Retirer plus que le solde lève SoldeInsuffisantError et ne change rien"""
    p = Portefeuille("Amina", 200)
    p.retirer(50)
    assert p.solde == 150, f"après un retrait de 50 sur 200, solde attendu 150, obtenu {p.solde!r}"
    with pytest.raises(SoldeInsuffisantError):
        p.retirer(151)
    assert p.solde == 150, f"un retrait refusé ne doit pas modifier le solde (150), obtenu {p.solde!r}"
    assert p.historique == [("retrait", 50)], (
        f"un retrait refusé ne doit pas apparaître dans l'historique, obtenu {p.historique!r}"
    )


@pytest.mark.points(2)
def test_transfert():
    """transferer débite l'émetteur, crédite le destinataire et trace les deux côtés"""
    amina = Portefeuille("Amina", 1000)
    youssef = Portefeuille("Youssef")
    amina.transferer(youssef, 300)
    assert amina.solde == 700, f"solde d'Amina attendu 700, obtenu {amina.solde!r}"
    assert youssef.solde == 300, f"solde de Youssef attendu 300, obtenu {youssef.solde!r}"
    assert amina.historique == [("transfert_envoye", 300)], (
        f"historique d'Amina attendu [('transfert_envoye', 300)], obtenu {amina.historique!r}"
    )
    assert youssef.historique == [("transfert_recu", 300)], (
        f"historique de Youssef attendu [('transfert_recu', 300)], obtenu {youssef.historique!r}"
    )
    with pytest.raises(SoldeInsuffisantError):
        youssef.transferer(amina, 301)
    assert (amina.solde, youssef.solde) == (700, 300), (
        f"un transfert refusé ne doit rien changer, soldes obtenus {(amina.solde, youssef.solde)!r}"
    )


@pytest.mark.points(2)
def test_plafond_journalier():
    """Les sorties du jour sont plafonnées ; nouvelle_journee remet le compteur à zéro"""
    plafond_depasse = getattr(module, "PlafondDepasseError", None)
    assert plafond_depasse is not None, "le module doit définir une exception PlafondDepasseError"
    amina = Portefeuille("Amina", 10000, plafond_journalier=5000)
    youssef = Portefeuille("Youssef")
    amina.retirer(3000)
    amina.transferer(youssef, 1500)
    with pytest.raises(plafond_depasse):
        amina.retirer(600)
    assert amina.solde == 5500, f"après un refus pour plafond, solde attendu 5500, obtenu {amina.solde!r}"
    amina.retirer(500)  # 3000 + 1500 + 500 = 5000 : exactement le plafond, accepté
    amina.nouvelle_journee()
    amina.retirer(4000)
    assert amina.solde == 1000, f"après la nouvelle journée, solde attendu 1000, obtenu {amina.solde!r}"


@pytest.mark.points(1)
def test_affichage():
    """str() affiche le titulaire et le solde avec deux décimales"""
    p = Portefeuille("Amina", 150)
    assert str(p) == "Portefeuille de Amina : 150.00 MAD", (
        f"str(p) devrait valoir 'Portefeuille de Amina : 150.00 MAD', obtenu {str(p)!r}"
    )
