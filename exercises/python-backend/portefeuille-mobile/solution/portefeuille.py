"""Portefeuille électronique : dépôts, retraits et transferts en MAD."""


class SoldeInsuffisantError(Exception):
    """Le solde ne permet pas l'opération demandée."""


class PlafondDepasseError(Exception):
    """L'opération ferait dépasser le plafond journalier de sorties."""


class Portefeuille:
    """Portefeuille électronique d'un client."""

    def __init__(self, titulaire, solde=0.0, plafond_journalier=5000.0):
        if solde < 0:
            raise ValueError("Le solde initial ne peut pas être négatif")
        self.titulaire = titulaire
        self.solde = solde
        self.plafond_journalier = plafond_journalier
        self.historique = []
        # Attribut « privé » par convention (préfixe _) : usage interne.
        self._sorties_du_jour = 0.0

    # --- vérifications -------------------------------------------------
    @staticmethod
    def _verifier_montant(montant):
        if montant <= 0:
            raise ValueError(f"Montant invalide : {montant} (il doit être positif)")

    def _verifier_sortie(self, montant):
        """Toutes les vérifications d'une sortie, AVANT toute modification."""
        self._verifier_montant(montant)
        if montant > self.solde:
            raise SoldeInsuffisantError(
                f"Solde insuffisant : {self.solde:.2f} MAD disponibles, {montant:.2f} MAD demandés"
            )
        if self._sorties_du_jour + montant > self.plafond_journalier:
            raise PlafondDepasseError(
                f"Plafond journalier de {self.plafond_journalier:.2f} MAD dépassé"
            )

    def _enregistrer_sortie(self, type_operation, montant):
        self.solde -= montant
        self._sorties_du_jour += montant
        self.historique.append((type_operation, montant))

    # --- opérations ----------------------------------------------------
    def deposer(self, montant):
        """Ajoute montant au solde."""
        self._verifier_montant(montant)
        self.solde += montant
        self.historique.append(("depot", montant))

    def retirer(self, montant):
        """Retire montant du solde (retrait chez un agent)."""
        self._verifier_sortie(montant)
        self._enregistrer_sortie("retrait", montant)

    def transferer(self, destinataire, montant):
        """Envoie montant vers un autre portefeuille."""
        if destinataire is self:
            raise ValueError("Impossible de transférer de l'argent vers soi-même")
        self._verifier_sortie(montant)
        self._enregistrer_sortie("transfert_envoye", montant)
        # Côté destinataire, on n'appelle pas deposer() : l'historique
        # doit indiquer un transfert reçu, pas un dépôt.
        destinataire.solde += montant
        destinataire.historique.append(("transfert_recu", montant))

    def nouvelle_journee(self):
        """Remet à zéro le compteur des sorties du jour."""
        self._sorties_du_jour = 0.0

    def __str__(self):
        return f"Portefeuille de {self.titulaire} : {self.solde:.2f} MAD"
