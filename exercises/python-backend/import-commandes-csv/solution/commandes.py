"""Import des commandes CSV du jour et export d'un rapport JSON."""

import csv
import json


def convertir_montant(texte):
    """Convertit '1 250,00' en 1250.0."""
    # On retire les espaces de milliers (y compris l'espace insécable \xa0
    # que produisent certains tableurs), puis on passe à la notation à point.
    propre = texte.strip().replace(" ", "").replace("\xa0", "").replace(",", ".")
    return float(propre)


def lire_commandes(chemin):
    """Lit le fichier CSV (séparateur ';') et renvoie une liste de dictionnaires."""
    commandes = []
    # "utf-8-sig" retire la BOM si elle est présente, et lit normalement sinon.
    # newline="" est recommandé par la documentation du module csv.
    with open(chemin, encoding="utf-8-sig", newline="") as fichier:
        lecteur = csv.DictReader(fichier, delimiter=";")
        for ligne in lecteur:
            # Nettoyage des clés et des valeurs ; None si une colonne manque.
            ligne = {
                (cle or "").strip(): (valeur or "").strip()
                for cle, valeur in ligne.items()
            }
            if not any(ligne.values()):
                continue  # ligne vide (par ex. ";;;;" en fin de fichier)
            commandes.append({
                "id": int(ligne["id"]),
                "date": ligne["date"],
                "ville": ligne["ville"],
                "montant": convertir_montant(ligne["montant"]),
                "statut": ligne["statut"],
            })
    return commandes


def resume(commandes):
    """Calcule les indicateurs du rapport quotidien."""
    nombre = len(commandes)
    total_livre = sum(c["montant"] for c in commandes if c["statut"] == "livree")

    par_statut = {}
    for commande in commandes:
        statut = commande["statut"]
        par_statut[statut] = par_statut.get(statut, 0) + 1

    # Attention à la division par zéro quand il n'y a aucune commande.
    if nombre:
        panier_moyen = round(sum(c["montant"] for c in commandes) / nombre, 2)
    else:
        panier_moyen = 0.0

    return {
        "nombre": nombre,
        "total_livre": round(total_livre, 2),
        "par_statut": par_statut,
        "panier_moyen": panier_moyen,
        "villes": sorted({c["ville"] for c in commandes}),
    }


def exporter_json(donnees, chemin):
    """Écrit donnees dans chemin, en JSON UTF-8 indenté, accents conservés."""
    with open(chemin, "w", encoding="utf-8") as fichier:
        json.dump(donnees, fichier, ensure_ascii=False, indent=2)
