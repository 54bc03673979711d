const test = require('node:test');
const assert = require('node:assert/strict');
const { URL_API, construireUrl, chargerPrevisions, widgetMeteo, comparerVilles, reessayer } = require('./meteo.js');

// Données que renverrait l'API, par ville.
const DONNEES = {
  Agadir: { ville: 'Agadir', previsions: [
    { date: '2026-07-14', temperature: { min: 19, max: 27 }, ciel: 'ensoleillé', vent_kmh: 22 },
    { date: '2026-07-15', temperature: { min: 20, max: 29 }, ciel: 'brume matinale', vent_kmh: 18 },
  ] },
  Marrakech: { ville: 'Marrakech', previsions: [
    { date: '2026-07-14', temperature: { min: 24, max: 41 }, ciel: 'ensoleillé', vent_kmh: 10 },
  ] },
  Ifrane: { ville: 'Ifrane', previsions: [
    { date: '2026-07-14', temperature: { min: 12, max: 26 }, ciel: 'orageux', vent_kmh: 15 },
  ] },
  Tanger: { ville: 'Tanger', previsions: [
    { date: '2026-07-14', temperature: { min: 21, max: 28 }, ciel: 'venteux', vent_kmh: 45 },
  ] },
  Dakhla: { ville: 'Dakhla', previsions: [] },
};

// Un faux fetch, sans réseau : il répond d'après la ville demandée et note chaque URL appelée.
// pannes : { ville: statut HTTP | "reseau" | "json" }
function fauxFetch(pannes = {}) {
  const appels = [];
  const fetchFn = async (url) => {
    appels.push(url);
    const ville = new URL(url).searchParams.get('ville');
    const panne = pannes[ville];
    if (panne === 'reseau') {
      throw new TypeError('fetch failed');
    }
    if (typeof panne === 'number') {
      return { ok: false, status: panne, json: async () => ({ erreur: 'indisponible' }) };
    }
    if (panne === 'json' || !(ville in DONNEES)) {
      return { ok: true, status: 200, json: async () => { throw new SyntaxError('Unexpected token < in JSON'); } };
    }
    return { ok: true, status: 200, json: async () => JSON.parse(JSON.stringify(DONNEES[ville])) };
  };
  return { fetchFn, appels };
}

test("construireUrl encode le nom de la ville [1 pt]", () => {
  assert.equal(URL_API, 'https://api.meteo.example.ma/v1/previsions', "URL_API ne doit pas être modifiée");
  const cas = [
    [['Agadir'], `${URL_API}?ville=Agadir&jours=3`],
    [['Béni Mellal', 1], `${URL_API}?ville=B%C3%A9ni%20Mellal&jours=1`],
    [['Fès & Meknès', 5], `${URL_API}?ville=F%C3%A8s%20%26%20Mekn%C3%A8s&jours=5`],
  ];
  for (const [args, attendu] of cas) {
    const obtenu = construireUrl(...args);
    assert.equal(obtenu, attendu, `construireUrl(${args.map((a) => JSON.stringify(a)).join(', ')}) devrait renvoyer ${attendu}, obtenu ${obtenu}`);
  }
});

test("chargerPrevisions appelle l'API et simplifie les prévisions [2 pts]", async () => {
  const { fetchFn, appels } = fauxFetch();
  const obtenu = await chargerPrevisions('Agadir', fetchFn);
  assert.deepEqual(appels, [`${URL_API}?ville=Agadir&jours=3`], `fetchFn devrait être appelée une fois avec construireUrl("Agadir"), appels : ${JSON.stringify(appels)}`);
  const attendu = [
    { date: '2026-07-14', min: 19, max: 27, ciel: 'ensoleillé' },
    { date: '2026-07-15', min: 20, max: 29, ciel: 'brume matinale' },
  ];
  assert.deepEqual(obtenu, attendu, `chargerPrevisions("Agadir") devrait renvoyer ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(obtenu)}`);
});

test("chargerPrevisions rejette en cas d'erreur HTTP ou de réseau coupé [2 pts]", async () => {
  const { fetchFn } = fauxFetch({ Agadir: 503, Tanger: 404, Ifrane: 'reseau' });
  await assert.rejects(
    chargerPrevisions('Agadir', fetchFn),
    (erreur) => erreur instanceof Error && erreur.message === 'Erreur HTTP 503 pour Agadir',
    'une réponse 503 doit rejeter la promesse avec Error("Erreur HTTP 503 pour Agadir")',
  );
  await assert.rejects(
    chargerPrevisions('Tanger', fetchFn),
    (erreur) => erreur instanceof Error && erreur.message === 'Erreur HTTP 404 pour Tanger',
    'une réponse 404 doit rejeter la promesse avec Error("Erreur HTTP 404 pour Tanger")',
  );
  await assert.rejects(
    chargerPrevisions('Ifrane', fetchFn),
    (erreur) => erreur instanceof TypeError && erreur.message === 'fetch failed',
    "quand le réseau est coupé, l'erreur de fetchFn (TypeError: fetch failed) doit remonter telle quelle",
  );
});

test("widgetMeteo renvoie le texte du jour ou un message d'erreur, sans rejeter [2 pts]", async () => {
  const { fetchFn } = fauxFetch({ Agadir: 500, Tanger: 'reseau', Ifrane: 'json' });
  const ok = await widgetMeteo('Marrakech', fetchFn);
  assert.deepEqual(ok, { etat: 'ok', texte: 'Marrakech : 24 à 41 °C, ensoleillé' }, `widgetMeteo("Marrakech") devrait renvoyer l'état ok, obtenu ${JSON.stringify(ok)}`);
  for (const [ville, panne] of [['Agadir', 'une erreur HTTP 500'], ['Tanger', 'un réseau coupé'], ['Ifrane', 'un contenu JSON illisible'], ['Dakhla', 'une liste de prévisions vide']]) {
    let resultat;
    try {
      resultat = await widgetMeteo(ville, fetchFn);
    } catch (erreur) {
      assert.fail(`widgetMeteo("${ville}") ne doit jamais rejeter, même avec ${panne} ; rejet obtenu : ${erreur}`);
    }
    const attendu = { etat: 'erreur', texte: `Météo indisponible pour ${ville}.` };
    assert.deepEqual(resultat, attendu, `avec ${panne}, widgetMeteo("${ville}") devrait renvoyer ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(resultat)}`);
  }
});

test("comparerVilles lance les requêtes en parallèle et trie les villes [2 pts]", async () => {
  const enAttente = [];
  const fetchManuel = (url) => new Promise((resolve) => enAttente.push({ url, resolve }));
  const villes = ['Agadir', 'Marrakech', 'Dakhla', 'Ifrane', 'Tanger'];
  const promesse = comparerVilles(villes, fetchManuel);
  Promise.resolve(promesse).catch(() => {}); // un éventuel rejet sera constaté par le await plus bas
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(enAttente.length, 5, `les 5 requêtes doivent partir en même temps, avant d'attendre la première réponse (Promise.all / allSettled) ; requêtes lancées : ${enAttente.length}`);
  const { fetchFn } = fauxFetch({ Tanger: 500 });
  for (const { url, resolve } of enAttente) {
    resolve(fetchFn(url));
  }
  const obtenu = await promesse;
  const attendu = [{ ville: 'Marrakech', max: 41 }, { ville: 'Agadir', max: 27 }, { ville: 'Ifrane', max: 26 }];
  assert.deepEqual(obtenu, attendu, `comparerVilles devrait renvoyer ${JSON.stringify(attendu)} (Tanger en panne et Dakhla sans prévision sont ignorées), obtenu ${JSON.stringify(obtenu)}`);
});

test("reessayer réessaie jusqu'au succès puis rejette avec la dernière erreur [2 pts]", async () => {
  let appels = 0;
  const instable = async () => {
    appels += 1;
    if (appels < 3) {
      throw new Error(`échec n°${appels}`);
    }
    return 'prévisions';
  };
  const resultat = await reessayer(instable);
  assert.equal(resultat, 'prévisions', `reessayer devrait renvoyer le résultat de la 3e tentative, obtenu ${JSON.stringify(resultat)}`);
  assert.equal(appels, 3, `operation devrait avoir été appelée 3 fois, obtenu ${appels}`);

  let essais = 0;
  const toujoursEnPanne = async () => {
    essais += 1;
    throw new Error(`panne ${essais}`);
  };
  await assert.rejects(
    reessayer(toujoursEnPanne, 4),
    (erreur) => erreur instanceof Error && erreur.message === 'panne 4',
    'après 4 échecs, reessayer doit rejeter avec la dernière erreur (panne 4)',
  );
  assert.equal(essais, 4, `avec tentatives = 4, operation devrait être appelée 4 fois, obtenu ${essais}`);

  let premier = 0;
  const direct = async () => { premier += 1; return 42; };
  assert.equal(await reessayer(direct), 42, 'un succès immédiat doit être renvoyé');
  assert.equal(premier, 1, `après un succès, operation ne doit plus être appelée ; appels : ${premier}`);
});
