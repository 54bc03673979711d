'use strict';

// Validation du formulaire de candidature complet, à partir des règles de validation.js.

const { normaliserTelephone, normaliserCIN, estEmail, calculerAge } = require('./validation.js');

const AGE_MINIMUM = 18;
const AGE_MAXIMUM = 45;

function validerCandidature(donnees, dateReference) {
  const erreurs = {};

  // TODO : vérifier chaque champ et remplir erreurs (voir les messages de l'énoncé).
  if (!donnees.prenom) {
    erreurs.prenom = 'Le prénom est obligatoire.';
  }

  // TODO : construire la candidature normalisée si tout est valide.
  const valide = Object.keys(erreurs).length === 0;
  return { valide, erreurs, candidature: null };
}

module.exports = { validerCandidature, AGE_MINIMUM, AGE_MAXIMUM };
