"""The plans the import tests read: made the way municipalities make theirs.

`danish_plan` follows the Vallensbæk *Hovedberedskabsplan 2025*
(`../shared/reference/`): typed heading numbers with its gap (no 1.2) and its
repeated 4.3, an unnumbered foreword, a Word table of contents, bullets with
bold lead-ins, a quotation, a levels table that is not an annex, and the
annex tables A-D under headings "A : …". The people, numbers and addresses in
the annexes are invented. `nynorsk_plan` is a fictional Norwegian plan in
nynorsk with its annex tables; `bokmal_tables` holds the same tables with
bokmål headings, as Markdown.
"""
from __future__ import annotations

from pathlib import Path

from worddocs import Plan, png

DANISH_HEADINGS = [  # (level, text as typed in the heading)
    (1, "Forord"),
    (1, "1.0 Formål med beredskabsplanen"),
    (2, "1.1 Planens præmisser"),
    (2, "1.3 Beredskabsniveauer"),
    (1, "4.0 Krisestyringsstabens indsats"),
    (2, "4.3 Arbejdsgange i den operationelle krisestyringsstab"),
    (2, "4.3 Koordinering af handlinger og ressourcer"),
    (3, "Anmodning om bistand"),
    (2, "4.5 Ekstern krisekommunikation"),
    (1, "6.0 Bilag – oversigt og formål"),
    (2, "A : Alarmeringsliste - Liste over kommunens nøglepersoner"),
    (2, "B : Liste over kommunens taktiske resurser"),
    (2, "C : Liste over kommunens beredskabsplaner"),
    (2, "D : Bruttoliste over eksterne samarbejdspartner"),
]

DANISH_ALERT_LIST = [
    ["Funktion", "Navn", "Mobil", "Arbejde", "Privat", "E-mail"],
    ["Borgmester", "Henrik Testsen", "+45 20 30 40 50", "43 97 40 01", "36 45 12 34",
     "borgmester@vallensbaek.example"],
    ["Kommunaldirektør", "Lise Prøvesen", "2131 4151", "43 97 40 02", "",
     "kd@vallensbaek.example"],
    ["Beredskabschef, Beredskab 4K", "Mette Eksempel", "40 50 60 70", "", "",
     "beredskab@4k.example"],
    ["Kommunikationschef", "Ole Opdigtet", "2345 678", "", "", "kom@vallensbaek.example"],
    ["IT-chef", "Jens Fiktiv", "51 52 53 54 / 43 97 40 10", "", "", "it@vallensbaek.example"],
]
DANISH_RESOURCES = [
    ["Ressource", "Antal", "Placering", "Rekvireres hos", "Tilgængelighed"],
    ["Nødstrømsanlæg", "1", "Rådhuset, kælderen", "Driftsvagten, 43 97 40 99", "Døgnet rundt"],
    ["Sandsække", "500", "Materielgården", "Vej og Park", "Hverdage 7-15"],
]
DANISH_PLANS = [
    ["Plan", "Ansvarlig", "Godkendt af", "Senest revideret"],
    ["Sundhedsberedskabsplan", "Center for Sundhed og Pleje", "Kommunalbestyrelsen",
     "12. juni 2024"],
    ["IT-beredskabsplan", "IT-afdelingen", "Direktionen", "01.03.2025"],
]
DANISH_PARTNERS = [
    ["Samarbejdspartner", "Kontaktperson", "Telefon", "E-mail", "Aftale"],
    ["Beredskab 4K", "Vagthavende indsatsleder", "43 97 40 40", "vagt@4k.example",
     "Samarbejdsaftale om Beredskab 4K"],
    ["Københavns Vestegns Politi", "Vagtchefen", "114", "", ""],
]
LEVELS_TABLE = [  # not an annex: stays a table in its section
    ["Niveau", "Hvem beslutter", "Eksempel"],
    ["0", "Medarbejder eller leder", "Ualmindelige hændelser"],
    ["1", "Centerchef", "Indsatser på centerniveau"],
    ["2", "Borgmester og direktion", "Krisestyringsstab på tværs"],
]


def danish_plan(path: Path) -> Path:
    doc = Plan()
    doc.header_text("Vallensbæk Kommune – Hovedberedskabsplan 2025")
    doc.title("Hovedberedskabsplan")
    doc.subtitle("For beredskabsniveau 2: kriser og varsling om kriser")
    doc.para("Vallensbæk Kommunens generelle beredskabsplan 2025")
    doc.para("Beredskabsplanen er godkendt af Kommunalbestyrelsen den 8. oktober 2025")
    doc.para("Indsendt til Beredskabsstyrelsen 10. oktober 2025.")
    doc.para("Seneste revision den 10. oktober 2025")
    doc.para("Sagsnummer: 23/5847")
    doc.toc("Indhold", [(1 if level == 1 else 2, text, 3 + n)
                        for n, (level, text) in enumerate(DANISH_HEADINGS) if level < 3])
    for level, text in DANISH_HEADINGS:
        doc.heading(text, level)
        _danish_body(doc, text)
    doc.save(path)
    return path


def _danish_body(doc: Plan, heading: str) -> None:
    if heading == "Forord":
        p = doc.para("Beredskabsplanen skal sikre, at Vallensbæk Kommune i en krisesituation har "
                     "en effektiv og faglig velfunderet krisestyring.")
        doc.comment(p, "Skal forordet med i den nye plan?", author="Kirsten")
        doc.para("Planens fokus har været at gøre krisestyringsstaben til en ",
                 ("italic", "mere dynamisk"), " størrelse.")
    elif heading.startswith("1.0"):
        doc.para("Overordnet set anvendes beredskabsplanen ved hændelser, hvor der er behov for "
                 "at etablere en krisestyringsorganisation.")
        doc.para(("bold", "Planens gyldighedsområde"))
        doc.para("Beredskabsplanen gælder for alle enheder i Vallensbæk Kommune.")
        doc.tracked("Planen er et praktisk redskab", ", som ledelse og medarbejdere kan bruge.",
                    " og et opslagsværk")
    elif heading.startswith("1.1"):
        doc.para("I overensstemmelse med anvisninger fra Beredskabsstyrelsen hviler planen på "
                 "fire overordnede principper:")
        doc.bullets(("lead", "Sektoransvarsprincippet:", "Den enhed, der har ansvaret for en "
                     "opgave til daglig, bevarer ansvaret for opgaven under kriser."),
                    ("lead", "Lighedsprincippet:", "De procedurer, der anvendes i dagligdagen, "
                     "anvendes også i krisestyringsorganisationen."),
                    ("lead", "Handlingsprincippet:", "Hellere et lidt for højt beredskab end "
                     "et lidt for lavt."),
                    ("lead", "Fleksibilitetsprincippet:", "Planens elementer kan tilpasses "
                     "behovet."))
    elif heading.startswith("1.3"):
        doc.para("Nærværende beredskabsplan angår beredskabsniveau 2.")
        doc.table(LEVELS_TABLE)
        doc.quote("Formålet med sundhedsberedskabet er at sikre den primære sundhedstjenestes "
                  "evne til at udvide og omstille sin kapacitet.")
    elif heading.startswith("4.3 Arbejdsgange"):
        doc.para("Dagsordenansvarlig er ansvarlig for mødeindkaldelser, dagsordener og referater.")
        doc.numbered("Dagsorden bliver udarbejdet", "Dagsordenen bliver udsendt",
                     "Referatet bliver journaliseret")
    elif heading.startswith("4.3 Koordinering"):
        doc.para("Kommunens ", ("bold", "taktiske resurser"), " og hvordan de kan rekvireres, "
                 "står i ", ("bold", "beredskabsplanens bilag B"), ".")
        doc.text_box("Husk: ring altid til vagthavende først")
    elif heading == "Anmodning om bistand":
        doc.para("Krisestyringsstaben søger hurtigst muligt at imødekomme behovet.")
    elif heading.startswith("4.5"):
        doc.link("Kommunens hovedpostkasse overvåges; se også ", "kommunens hjemmeside",
                 "https://www.vallensbaek.dk/", ".")
        doc.field("Opdateret: ", 'DATE \\@ "d. MMMM yyyy"', "10. oktober 2025")
        doc.picture(png(6, 4, (20, 120, 60)), 4)
    elif heading.startswith("6.0"):
        doc.para("Bilagene indeholder fakta om kommunens nøglepersoner, resurser og procedurer.")
    elif heading.startswith("A :"):
        doc.table(DANISH_ALERT_LIST)
    elif heading.startswith("B :"):
        doc.table(DANISH_RESOURCES)
    elif heading.startswith("C :"):
        doc.table(DANISH_PLANS)
    elif heading.startswith("D :"):
        doc.table(DANISH_PARTNERS, header=False)


NYNORSK_HEADINGS = [
    (1, "1 Innleiing"),
    (2, "1.1 Føremål med planen"),
    (2, "1.2 Kva planen ikkje dekkjer"),
    (1, "2 Kriseleiing"),
    (2, "2.1 Varsling av kriseleiinga"),
    (2, "2.3 Kriseleiinga sitt arbeid"),
    (1, "3 Befolkningsvarsling og krisekommunikasjon"),
    (1, "4 Evakuering"),
    (1, "5 Ressursar"),
    (1, "Vedlegg"),
]
NYNORSK_ALERT_LIST = [
    ["Namn", "Funksjon", "Eining", "Mobil", "E-post"],
    ["Kari Prøvestad", "Ordførar", "Politisk leiing", "+47 412 34 567", "kari@fjordvik.example"],
    ["Nils Testmo", "Kommunedirektør", "Administrasjonen", "90 12 34 56",
     "nils@fjordvik.example"],
    ["Siri Døme", "Beredskapskoordinator", "Samfunnstryggleik", "481 23 456",
     "siri@fjordvik.example"],
    ["Ola Oppdikta", "Kommunikasjonsrådgivar", "Kommunikasjon", "412 34 56",
     "ola@fjordvik.example"],
]
NYNORSK_RESOURCES = [
    ["Ressurs", "Tal", "Plassering", "Kontakt", "Tilgjenge"],
    ["Aggregat 60 kVA", "2", "Brannstasjonen", "Vakthavande brannbefal", "Heile døgnet"],
    ["Evakuertsenter (Fjordvik skule)", "1", "Skulevegen 4", "Rektor", "Innan 2 timar"],
]
NYNORSK_PLANS = [
    ["Plan", "Ansvarleg", "Sist revidert"],
    ["Plan for helsemessig og sosial beredskap", "Kommuneoverlegen", "3. mars 2025"],
    ["Beredskapsplan for drikkevatn", "Teknisk drift", "2024-11-01"],
]
NYNORSK_PARTNERS = [
    ["Samarbeidspartnar", "Kontaktperson", "Telefon", "Avtale"],
    ["Fjordvik sokn", "Soknepresten", "57 12 34 56", "Avtale om krisestøtte"],
    ["Sivilforsvaret", "Vakthavande", "57 65 43 21", ""],
]


def nynorsk_plan(path: Path) -> Path:
    doc = Plan()
    doc.title("Overordna beredskapsplan for Fjordvik kommune")
    doc.para("Vedteken i kommunestyret 12. juni 2024, sak 45/24")
    doc.para("Sist revidert 3. mars 2025")
    doc.toc("Innhald", [(1 if level == 1 else 2, text, 2 + n)
                        for n, (level, text) in enumerate(NYNORSK_HEADINGS)])
    for level, text in NYNORSK_HEADINGS:
        doc.heading(text, level)
        if text == "1 Innleiing":
            doc.para("Planen skal sikre at kommunen kan halde fram med å gi innbyggjarane "
                     "tenester når noko går gale. Han byggjer på den heilskaplege risiko- og "
                     "sårbarheitsanalysen frå 2023.")
        elif text.startswith("1.1"):
            doc.para("Føremålet er at kriseleiinga kjem raskt saman, og at ", ("bold", "ingen"),
                     " oppgåver fell mellom to stolar.")
        elif text.startswith("1.2"):
            doc.bullets("Hendingar som berre rammar éi eining", "Tryggleiksgradert informasjon")
        elif text.startswith("2.1"):
            doc.para("Den som får melding om ei hending, varslar beredskapskoordinatoren. "
                     "Kriseleiinga er samla innan to timar.")
        elif text.startswith("2.3"):
            doc.para("Kriseleiinga møtest på rådhuset, eller på brannstasjonen som reserve.")
        elif text.startswith("3 "):
            doc.para("Kommunen varslar innbyggjarane med SMS etter adresse, på nettsida og i "
                     "lokalradioen.")
        elif text.startswith("4 "):
            doc.para("Evakuerte møter på Fjordvik skule, som er evakuertsenter.")
        elif text.startswith("5 "):
            doc.table(NYNORSK_RESOURCES)
        elif text == "Vedlegg":
            doc.para(("bold", "Varslingsliste"))
            doc.table(NYNORSK_ALERT_LIST)
            doc.para(("bold", "Planverk"))
            doc.table(NYNORSK_PLANS)
            doc.para(("bold", "Samarbeidspartnarar"))
            doc.table(NYNORSK_PARTNERS)
    doc.save(path)
    return path


BOKMAL_TABLES = """\
# Overordnet beredskapsplan for Eksempelvik kommune

Vedtatt i kommunestyret 12.06.2024

Saksnummer: 24/1234

## 1 Varslingsliste

| Navn | Stilling | Mobil | E-post |
|---|---|---|---|
| Per Prøve | Ordfører | 412 34 567 | per@eksempelvik.example |
| Anne Test | Kommunedirektør | +47 900 12 345 | anne@eksempelvik.example |

## 2 Ressursoversikt

| Ressurs | Antall | Plassering | Tilgjengelighet |
|---|---|---|---|
| Nødstrømsaggregat | 1 | Rådhuset | Hele døgnet |

## 3 Planverk

| Plan | Eier | Godkjent av | Revidert |
|---|---|---|---|
| Helse- og omsorgsberedskapsplan | Kommuneoverlegen | Kommunestyret | 01.02.2025 |

## 4 Samarbeidspartnere

| Samarbeidspartner | Kontaktperson | Telefon | Avtale | Utløper |
|---|---|---|---|---|
| Sivilforsvaret | Vakthavende | 22 33 44 55 | Samarbeidsavtale | 31.12.2026 |

## 5 Befolkningsvarsling

| Kanal | Når |
|---|---|
| SMS | Straks |
| Nettside | Innen en time |
"""
