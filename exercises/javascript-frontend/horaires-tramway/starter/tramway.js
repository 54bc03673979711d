'use strict';

// Calculs d'horaires pour les écrans du tramway de Casablanca.
// Les heures sont des chaînes "HH:MM" ; on calcule en minutes depuis minuit.

function enMinutes(heure) {
  // TODO : vérifier le format "HH:MM" (sinon renvoyer NaN),
  //        vérifier heures <= 23 et minutes <= 59.
  const morceaux = heure.split(':');
  return Number(morceaux[0]) * 60 + Number(morceaux[1]);
}

function formaterHeure(minutes) {
  // TODO : heures et minutes sur deux chiffres (padStart), retour à 00:00 après minuit.
  throw new Error('À écrire');
}

function attente(depart, maintenant) {
  // TODO : attention au passage de minuit !
  return enMinutes(depart) - enMinutes(maintenant);
}

function annonce(destination, minutes) {
  // TODO : "à quai" pour 0, "1 minute" au singulier, "N minutes" sinon.
  return `Tram pour ${destination} : ${minutes} minutes`;
}

function estHeureDePointe(heure) {
  // TODO : 07:00 <= heure < 09:00 ou 17:00 <= heure < 19:30
  throw new Error('À écrire');
}

module.exports = { enMinutes, formaterHeure, attente, annonce, estHeureDePointe };
