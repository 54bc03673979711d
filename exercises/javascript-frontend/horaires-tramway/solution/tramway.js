'use strict';

// Calculs d'horaires pour les écrans du tramway de Casablanca.
// Les heures sont des chaînes "HH:MM" ; on calcule en minutes depuis minuit.

const MINUTES_PAR_JOUR = 24 * 60;

/** "HH:MM" -> minutes depuis minuit, ou NaN si le format est invalide. */
function enMinutes(heure) {
  // Format strict : exactement deux chiffres, deux-points, deux chiffres.
  if (typeof heure !== 'string' || !/^\d\d:\d\d$/.test(heure)) {
    return NaN;
  }
  const [heures, minutes] = heure.split(':').map(Number);
  if (heures > 23 || minutes > 59) {
    return NaN;
  }
  return heures * 60 + minutes;
}

/** Minutes depuis minuit -> "HH:MM" (repart de 00:00 après minuit). */
function formaterHeure(minutes) {
  const dansLaJournee = minutes % MINUTES_PAR_JOUR;
  const heures = Math.floor(dansLaJournee / 60);
  const reste = dansLaJournee % 60;
  return `${String(heures).padStart(2, '0')}:${String(reste).padStart(2, '0')}`;
}

/** Minutes d'attente avant le départ ; un départ "avant" maintenant part le lendemain. */
function attente(depart, maintenant) {
  const ecart = enMinutes(depart) - enMinutes(maintenant);
  // + MINUTES_PAR_JOUR puis modulo : -1425 devient 15, et 7 reste 7.
  return (ecart + MINUTES_PAR_JOUR) % MINUTES_PAR_JOUR;
}

/** Texte de l'écran de la station. */
function annonce(destination, minutes) {
  if (minutes === 0) {
    return `Tram pour ${destination} : à quai`;
  }
  const unite = minutes === 1 ? 'minute' : 'minutes';
  return `Tram pour ${destination} : ${minutes} ${unite}`;
}

/** true entre 07:00 et 09:00 ou entre 17:00 et 19:30 (bornes de fin exclues). */
function estHeureDePointe(heure) {
  const m = enMinutes(heure);
  const matin = m >= enMinutes('07:00') && m < enMinutes('09:00');
  const soir = m >= enMinutes('17:00') && m < enMinutes('19:30');
  return matin || soir; // les comparaisons donnent déjà de vrais booléens
}

module.exports = { enMinutes, formaterHeure, attente, annonce, estHeureDePointe };
