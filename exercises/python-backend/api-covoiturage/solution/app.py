"""API JSON de covoiturage (prototype, stockage en mémoire)."""

from datetime import date

from flask import Flask, jsonify, request

PLACES_MAX = 8


class DonneesInvalides(Exception):
    """Erreur de validation : sera transformée en réponse 400."""


def _texte_obligatoire(donnees, champ):
    valeur = donnees.get(champ)
    if not isinstance(valeur, str) or not valeur.strip():
        raise DonneesInvalides(f"Le champ '{champ}' est obligatoire (texte non vide)")
    return valeur.strip()


def _entier(valeur, champ, minimum, maximum=None):
    # bool est une sous-classe d'int : on l'exclut explicitement.
    if not isinstance(valeur, int) or isinstance(valeur, bool):
        raise DonneesInvalides(f"Le champ '{champ}' doit être un nombre entier")
    if valeur < minimum or (maximum is not None and valeur > maximum):
        borne = f"entre {minimum} et {maximum}" if maximum is not None else f"au moins {minimum}"
        raise DonneesInvalides(f"Le champ '{champ}' doit valoir {borne}")
    return valeur


def valider_trajet(donnees):
    """Vérifie le corps d'un POST /api/trajets et renvoie un trajet propre (sans id)."""
    if not isinstance(donnees, dict):
        raise DonneesInvalides("Le corps de la requête doit être un objet JSON")

    depart = _texte_obligatoire(donnees, "depart")
    arrivee = _texte_obligatoire(donnees, "arrivee")
    if depart.lower() == arrivee.lower():
        raise DonneesInvalides("Le départ et l'arrivée doivent être différents")

    texte_date = donnees.get("date")
    try:
        jour = date.fromisoformat(texte_date)
    except (TypeError, ValueError):
        raise DonneesInvalides("Le champ 'date' doit être une date au format AAAA-MM-JJ") from None

    places = _entier(donnees.get("places"), "places", 1, PLACES_MAX)

    prix = donnees.get("prix")
    if not isinstance(prix, (int, float)) or isinstance(prix, bool) or prix < 0:
        raise DonneesInvalides("Le champ 'prix' doit être un nombre positif ou nul")

    return {
        "depart": depart,
        "arrivee": arrivee,
        "date": jour.isoformat(),
        "places": places,
        "places_restantes": places,
        "prix": float(prix),
    }


def create_app():
    """Fabrique d'application : chaque appel crée une API avec un stockage vide."""
    app = Flask(__name__)

    # Stockage en mémoire, local à cette application (donc isolé entre tests).
    trajets = {}        # id -> dictionnaire du trajet
    reservations = []   # liste des réservations
    compteurs = {"trajet": 0, "reservation": 0}

    def erreur(message, code):
        """Réponse d'erreur JSON uniforme."""
        return jsonify({"erreur": message}), code

    @app.errorhandler(DonneesInvalides)
    def donnees_invalides(exc):
        # Toute DonneesInvalides levée dans une vue devient un 400 propre.
        return erreur(str(exc), 400)

    @app.get("/api/sante")
    def sante():
        return jsonify({"statut": "ok"})

    @app.get("/api/trajets")
    def lister_trajets():
        depart = request.args.get("depart", "").strip().lower()
        arrivee = request.args.get("arrivee", "").strip().lower()
        resultat = [
            trajet
            for _, trajet in sorted(trajets.items())
            if (not depart or trajet["depart"].lower() == depart)
            and (not arrivee or trajet["arrivee"].lower() == arrivee)
        ]
        return jsonify(resultat)

    @app.post("/api/trajets")
    def creer_trajet():
        trajet = valider_trajet(request.get_json(silent=True))
        compteurs["trajet"] += 1
        trajet["id"] = compteurs["trajet"]
        trajets[trajet["id"]] = trajet
        return jsonify(trajet), 201

    @app.get("/api/trajets/<int:trajet_id>")
    def obtenir_trajet(trajet_id):
        trajet = trajets.get(trajet_id)
        if trajet is None:
            return erreur(f"Trajet {trajet_id} introuvable", 404)
        return jsonify(trajet)

    @app.delete("/api/trajets/<int:trajet_id>")
    def supprimer_trajet(trajet_id):
        if trajets.pop(trajet_id, None) is None:
            return erreur(f"Trajet {trajet_id} introuvable", 404)
        return "", 204

    @app.post("/api/trajets/<int:trajet_id>/reservations")
    def reserver(trajet_id):
        trajet = trajets.get(trajet_id)
        if trajet is None:
            return erreur(f"Trajet {trajet_id} introuvable", 404)

        donnees = request.get_json(silent=True)
        if not isinstance(donnees, dict):
            raise DonneesInvalides("Le corps de la requête doit être un objet JSON")
        passager = _texte_obligatoire(donnees, "passager")
        places = _entier(donnees.get("places", 1), "places", 1)

        # 409 Conflict : la requête est valide mais contredit l'état actuel.
        if places > trajet["places_restantes"]:
            return erreur(
                f"Plus assez de places : {trajet['places_restantes']} restante(s)", 409
            )

        trajet["places_restantes"] -= places
        compteurs["reservation"] += 1
        reservation = {
            "id": compteurs["reservation"],
            "trajet_id": trajet_id,
            "passager": passager,
            "places": places,
        }
        reservations.append(reservation)
        return jsonify(reservation), 201

    return app
