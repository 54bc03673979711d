'use strict';

// Règles de validation réutilisables : une fonction par type de donnée.

function normaliserTelephone(texte) {
  // TODO : retirer espaces, points et tirets ; accepter 0, +212 ou 00212
  //        suivis de 9 chiffres commençant par 5, 6 ou 7 ; sinon null.
  throw new Error('À écrire');
}

function normaliserCIN(texte) {
  // TODO : une ou deux lettres puis 5 ou 6 chiffres ; majuscules ; sinon null.
  const cin = texte.trim().toUpperCase();
  return cin;
}

function estEmail(texte) {
  // TODO : une expression régulière, sur le texte sans espaces autour.
  return texte.includes('@');
}

function calculerAge(dateNaissance, dateReference) {
  // TODO : découper "AAAA-MM-JJ", vérifier le format, tenir compte de l'anniversaire.
  const anneeNaissance = Number(dateNaissance.slice(0, 4));
  const anneeReference = Number(dateReference.slice(0, 4));
  return anneeReference - anneeNaissance;
}

module.exports = { normaliserTelephone, normaliserCIN, estEmail, calculerAge };
