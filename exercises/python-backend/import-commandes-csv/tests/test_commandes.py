import json

import pytest

from commandes import exporter_json, lire_commandes, resume

CONTENU = (
    "id;date;ville;montant;statut\n"
    "1001;2024-03-11;Casablanca;249,90;livree\n"
    "1002;2024-03-11; Tétouan ;1 250,00;en_cours\n"
    "1003;2024-03-12;Marrakech;89,50;annulee\n"
    "1004;2024-03-12;Casablanca;310,00;livree\n"
    "\n"
)

ATTENDU = [
    {"id": 1001, "date": "2024-03-11", "ville": "Casablanca", "montant": 249.9, "statut": "livree"},
    {"id": 1002, "date": "2024-03-11", "ville": "Tétouan", "montant": 1250.0, "statut": "en_cours"},
    {"id": 1003, "date": "2024-03-12", "ville": "Marrakech", "montant": 89.5, "statut": "annulee"},
    {"id": 1004, "date": "2024-03-12", "ville": "Casablanca", "montant": 310.0, "statut": "livree"},
]


@pytest.mark.points(3)
def test_lire_commandes(tmp_path):
    """lire_commandes lit le CSV ';', convertit les types et nettoie les espaces"""
    chemin = tmp_path / "commandes.csv"
    chemin.write_text(CONTENU, encoding="utf-8")
    resultat = lire_commandes(chemin)
    assert isinstance(resultat, list), f"lire_commandes doit renvoyer une liste, obtenu {type(resultat).__name__}"
    assert len(resultat) == 4, f"4 commandes attendues (ligne vide ignorée), obtenu {len(resultat)}"
    for attendue, obtenue in zip(ATTENDU, resultat):
        assert obtenue == attendue, f"commande attendue {attendue!r}, obtenu {obtenue!r}"


@pytest.mark.points(2)
def test_lire_commandes_avec_bom(tmp_path):
    """lire_commandes accepte un fichier exporté avec une BOM UTF-8"""
    chemin = tmp_path / "export_tableur.csv"
    chemin.write_text(CONTENU, encoding="utf-8-sig")  # écrit la BOM en tête
    resultat = lire_commandes(chemin)
    assert len(resultat) == 4, f"4 commandes attendues, obtenu {len(resultat)}"
    premiere = resultat[0]
    assert premiere.get("id") == 1001, (
        f"la première commande devrait avoir la clé 'id' valant 1001 (BOM retirée), obtenu {premiere!r}"
    )


@pytest.mark.points(3)
def test_resume():
    """resume calcule nombre, total livré, répartition, panier moyen et villes"""
    commandes = [dict(c) for c in ATTENDU]
    resultat = resume(commandes)
    attendu = {
        "nombre": 4,
        "total_livre": 559.9,
        "par_statut": {"livree": 2, "en_cours": 1, "annulee": 1},
        "panier_moyen": 474.85,
        "villes": ["Casablanca", "Marrakech", "Tétouan"],
    }
    for cle, valeur in attendu.items():
        assert cle in resultat, f"la clé {cle!r} manque dans le résumé {resultat!r}"
        assert resultat[cle] == valeur, f"resume(...)[{cle!r}] devrait valoir {valeur!r}, obtenu {resultat[cle]!r}"
    vide = resume([])
    assert vide["nombre"] == 0 and vide["panier_moyen"] == 0, (
        f"sans commande, nombre et panier_moyen doivent valoir 0, obtenu {vide!r}"
    )


@pytest.mark.points(2)
def test_exporter_json(tmp_path):
    """exporter_json écrit un JSON UTF-8 lisible, accents conservés"""
    donnees = {"nombre": 1, "villes": ["Tétouan", "Salé"]}
    chemin = tmp_path / "rapport.json"
    exporter_json(donnees, chemin)
    texte = chemin.read_text(encoding="utf-8")
    relu = json.loads(texte)
    assert relu == donnees, f"le fichier relu devrait contenir {donnees!r}, obtenu {relu!r}"
    assert "Tétouan" in texte, (
        "les accents doivent être écrits tels quels (ensure_ascii=False), "
        f"contenu du fichier : {texte!r}"
    )
    assert "\n  " in texte, f"le JSON doit être indenté de 2 espaces, contenu du fichier : {texte!r}"
