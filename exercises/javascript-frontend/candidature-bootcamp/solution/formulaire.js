'use strict';

// Validation du formulaire de candidature complet, à partir des règles de validation.js.

const { normaliserTelephone, normaliserCIN, estEmail, calculerAge } = require('./validation.js');

const AGE_MINIMUM = 18;
const AGE_MAXIMUM = 45;

const MESSAGES = {
  prenom: 'Le prénom est obligatoire.',
  nom: 'Le nom est obligatoire.',
  email: "L'adresse e-mail n'est pas valide.",
  telephone: "Le numéro de téléphone marocain n'est pas valide.",
  cin: "Le numéro de CIN n'est pas valide.",
  dateInvalide: "La date de naissance n'est pas valide.",
  age: `Le programme est ouvert aux candidats de ${AGE_MINIMUM} à ${AGE_MAXIMUM} ans.`,
};

/** Valide le formulaire : { valide, erreurs, candidature }. */
function validerCandidature(donnees, dateReference) {
  // Un champ absent est traité comme une chaîne vide : la fonction ne plante jamais.
  const texte = (champ) => String(donnees[champ] ?? '').trim();

  const prenom = texte('prenom');
  const nom = texte('nom');
  const email = texte('email').toLowerCase();
  const telephone = normaliserTelephone(texte('telephone'));
  const cin = normaliserCIN(texte('cin'));
  const age = calculerAge(texte('dateNaissance'), dateReference);

  const erreurs = {};
  if (prenom === '') erreurs.prenom = MESSAGES.prenom;
  if (nom === '') erreurs.nom = MESSAGES.nom;
  if (!estEmail(email)) erreurs.email = MESSAGES.email;
  if (telephone === null) erreurs.telephone = MESSAGES.telephone;
  if (cin === null) erreurs.cin = MESSAGES.cin;
  if (Number.isNaN(age)) {
    erreurs.dateNaissance = MESSAGES.dateInvalide;
  } else if (age < AGE_MINIMUM || age > AGE_MAXIMUM) {
    erreurs.dateNaissance = MESSAGES.age;
  }

  const valide = Object.keys(erreurs).length === 0;
  return {
    valide,
    erreurs,
    candidature: valide ? { prenom, nom, email, telephone, cin, age } : null,
  };
}

module.exports = { validerCandidature, AGE_MINIMUM, AGE_MAXIMUM };
