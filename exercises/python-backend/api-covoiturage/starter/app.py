"""API JSON de covoiturage (prototype, stockage en mémoire)."""

from datetime import date

from flask import Flask, jsonify, request


def create_app():
    """Fabrique d'application : chaque appel crée une API avec un stockage vide."""
    app = Flask(__name__)

    trajets = {}        # id -> dictionnaire du trajet
    reservations = []   # liste des réservations
    compteurs = {"trajet": 0, "reservation": 0}

    def erreur(message, code):
        """Réponse d'erreur JSON uniforme."""
        return jsonify({"erreur": message}), code

    @app.get("/api/sante")
    def sante():
        return jsonify({"statut": "ok"})

    @app.get("/api/trajets")
    def lister_trajets():
        # TODO : filtres optionnels ?depart=...&arrivee=... (casse ignorée), tri par id
        return jsonify(list(trajets.values()))

    @app.post("/api/trajets")
    def creer_trajet():
        donnees = request.get_json(silent=True)
        # TODO : valider toutes les données (voir l'énoncé) et renvoyer 400 si besoin
        compteurs["trajet"] += 1
        trajet = dict(donnees)
        trajet["id"] = compteurs["trajet"]
        trajets[trajet["id"]] = trajet
        return jsonify(trajet), 201

    # TODO : GET /api/trajets/<int:trajet_id>
    # TODO : DELETE /api/trajets/<int:trajet_id>
    # TODO : POST /api/trajets/<int:trajet_id>/reservations

    return app
