"""Portefeuille électronique : dépôts, retraits et transferts en MAD."""


class SoldeInsuffisantError(Exception):
    """Le solde ne permet pas l'opération demandée."""


# TODO : déclarer l'exception PlafondDepasseError


class Portefeuille:
    """Portefeuille électronique d'un client."""

    def __init__(self, titulaire, solde=0.0, plafond_journalier=5000.0):
        # TODO : refuser un solde initial négatif (ValueError)
        self.titulaire = titulaire
        self.solde = solde
        self.plafond_journalier = plafond_journalier
        self.historique = []
        # TODO : ajouter un compteur des sorties du jour

    def deposer(self, montant):
        """Ajoute montant au solde."""
        # TODO : refuser un montant négatif ou nul
        self.solde += montant
        self.historique.append(("depot", montant))

    def retirer(self, montant):
        """Retire montant du solde (retrait chez un agent)."""
        # TODO : vérifications (montant, solde, plafond) puis mise à jour
        raise NotImplementedError("retirer n'est pas encore écrite")

    def transferer(self, destinataire, montant):
        """Envoie montant vers un autre portefeuille."""
        # TODO
        raise NotImplementedError("transferer n'est pas encore écrite")

    def nouvelle_journee(self):
        """Remet à zéro le compteur des sorties du jour."""
        # TODO

    def __str__(self):
        # TODO : "Portefeuille de Amina : 150.00 MAD"
        return "Portefeuille"
