const test = require('node:test');
const assert = require('node:assert/strict');
const { echapperHTML, formaterPrix, urlImageSure, renderCarte, renderListe } = require('./carte.js');

const PAR_DEFAUT = '/images/produit-sans-photo.png';

const TAJINE = Object.freeze({ ref: 'TAJ-12', nom: 'Tajine de Safi', prix: 180, stock: 4, image: 'https://cdn.souk.ma/tajine.jpg' });

const CARTE_TAJINE = [
  '<article class="carte-produit" data-ref="TAJ-12">',
  '  <img src="https://cdn.souk.ma/tajine.jpg" alt="Tajine de Safi">',
  '  <h3>Tajine de Safi</h3>',
  '  <p class="prix">180,00 MAD</p>',
  '  <p class="stock">En stock</p>',
  '</article>',
].join('\n');

test("echapperHTML remplace les cinq caractères spéciaux [2 pts]", () => {
  const cas = [
    ['<script>alert("x")</script>', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'],
    ["Thé & gâteaux d'Aïd", 'Thé &amp; gâteaux d&#39;Aïd'],
    ['<img src=x onerror="vol()">', '&lt;img src=x onerror=&quot;vol()&quot;&gt;'],
    ['&lt;', '&amp;lt;'],
    ['Babouches en cuir', 'Babouches en cuir'],
  ];
  for (const [entree, attendu] of cas) {
    const obtenu = echapperHTML(entree);
    assert.equal(obtenu, attendu, `echapperHTML(${JSON.stringify(entree)}) devrait renvoyer ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("echapperHTML convertit les valeurs qui ne sont pas des chaînes [1 pt]", () => {
  assert.equal(echapperHTML(42), '42', `echapperHTML(42) devrait renvoyer "42", obtenu ${JSON.stringify(echapperHTML(42))}`);
  assert.equal(echapperHTML(null), '', `echapperHTML(null) devrait renvoyer "", obtenu ${JSON.stringify(echapperHTML(null))}`);
  assert.equal(echapperHTML(undefined), '', `echapperHTML(undefined) devrait renvoyer "", obtenu ${JSON.stringify(echapperHTML(undefined))}`);
});

test("formaterPrix affiche deux décimales, une virgule et MAD [1 pt]", () => {
  for (const [prix, attendu] of [[89.5, '89,50 MAD'], [1290, '1290,00 MAD'], [0, '0,00 MAD'], [12.349, '12,35 MAD']]) {
    const obtenu = formaterPrix(prix);
    assert.equal(obtenu, attendu, `formaterPrix(${prix}) devrait renvoyer "${attendu}", obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("urlImageSure n'accepte que https:// et les chemins locaux [2 pts]", () => {
  for (const url of ['https://cdn.souk.ma/img/tajine.jpg', '/images/tajine.jpg']) {
    const obtenu = urlImageSure(url);
    assert.equal(obtenu, url, `urlImageSure(${JSON.stringify(url)}) devrait accepter l'adresse, obtenu ${JSON.stringify(obtenu)}`);
  }
  const refusees = [
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'http://cdn.souk.ma/img/tajine.jpg',
    '//pirate.example/x.jpg',
    'data:text/html;base64,PHNjcmlwdD4=',
    'images/tajine.jpg',
    '',
    undefined,
  ];
  for (const url of refusees) {
    const obtenu = urlImageSure(url);
    assert.equal(obtenu, PAR_DEFAUT, `urlImageSure(${JSON.stringify(url) ?? 'undefined'}) devrait renvoyer l'image par défaut, obtenu ${JSON.stringify(obtenu)}`);
  }
});

test("renderCarte produit exactement le gabarit attendu [1 pt]", () => {
  const obtenu = renderCarte(TAJINE);
  assert.equal(obtenu, CARTE_TAJINE, `renderCarte(tajine) ne produit pas le gabarit attendu.\nAttendu :\n${CARTE_TAJINE}\nObtenu :\n${obtenu}`);
  const epuise = renderCarte({ ...TAJINE, stock: 0 });
  assert.ok(epuise.includes('\n  <p class="stock epuise">Épuisé</p>\n'), `avec un stock de 0, la carte devrait contenir <p class="stock epuise">Épuisé</p>, obtenu :\n${epuise}`);
});

test("renderCarte échappe le nom, la référence et l'adresse de l'image [2 pts]", () => {
  const piege = {
    ref: 'X"><script>vol()</script>',
    nom: 'Tajine <img src=x onerror="vol()">',
    prix: 99.9,
    stock: 0,
    image: 'https://cdn.souk.ma/t.jpg" onerror="vol()',
  };
  const obtenu = renderCarte(piege);
  const attendu = [
    '<article class="carte-produit" data-ref="X&quot;&gt;&lt;script&gt;vol()&lt;/script&gt;">',
    '  <img src="https://cdn.souk.ma/t.jpg&quot; onerror=&quot;vol()" alt="Tajine &lt;img src=x onerror=&quot;vol()&quot;&gt;">',
    '  <h3>Tajine &lt;img src=x onerror=&quot;vol()&quot;&gt;</h3>',
    '  <p class="prix">99,90 MAD</p>',
    '  <p class="stock epuise">Épuisé</p>',
    '</article>',
  ].join('\n');
  assert.equal(obtenu, attendu, `le nom, la référence et l'image doivent être échappés.\nAttendu :\n${attendu}\nObtenu :\n${obtenu}`);
  const javascript = renderCarte({ ...TAJINE, image: 'javascript:alert(1)' });
  assert.ok(javascript.includes(`<img src="${PAR_DEFAUT}" alt="Tajine de Safi">`), `une image javascript: doit être remplacée par ${PAR_DEFAUT}, obtenu :\n${javascript}`);
});

test("renderListe assemble les cartes ou affiche la recherche échappée [2 pts]", () => {
  const theiere = { ref: 'THE-01', nom: 'Théière', prix: 320, stock: 0, image: '/images/theiere.jpg' };
  const obtenu = renderListe([TAJINE, theiere], 'tajine');
  const attendu = `<ul class="catalogue"><li>${CARTE_TAJINE}</li><li>${renderCarte(theiere)}</li></ul>`;
  assert.equal(obtenu, attendu, `renderListe([tajine, theiere]) devrait renvoyer :\n${attendu}\nObtenu :\n${obtenu}`);
  const vide = renderListe([], '<script>vol()</script>');
  const videAttendu = '<p class="vide">Aucun résultat pour « &lt;script&gt;vol()&lt;/script&gt; ».</p>';
  assert.equal(vide, videAttendu, `sans produit, la recherche doit être affichée échappée : ${videAttendu}, obtenu ${vide}`);
  assert.equal(renderListe([]), '<p class="vide">Aucun résultat pour «  ».</p>', `renderListe([]) sans recherche devrait afficher « Aucun résultat pour «  ». », obtenu ${renderListe([])}`);
});
