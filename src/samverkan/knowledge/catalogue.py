"""The shared knowledge every installation starts with (loaded by migration 0002 and by
``samverkan knowledge_sync``). Administrators edit it in the product afterwards; the
loader never overwrites an entry that exists, it only adds missing codes.

Written in the project's own words from the sources named on each entry. Paragraph
numbers of the new Socialtjänstlag (2025:400) come from cross-references in the
sources; a municipality should have its lawyer confirm them when adopting the text.
"""

# Sources -------------------------------------------------------------------------------
MELWIN = "Socialstyrelsen, Samverkan kring barn och unga (lärmodul kring Melwin, 14 år)"
VAGLEDNING = (
    "Socialstyrelsen, Samverka för barns bästa – en vägledning om barns behov av insatser "
    "från flera aktörer"
)
KUNSKAPSGUIDEN = "Socialstyrelsen, Kunskapsguiden: Samverkan"
GNESTA = "Gnesta kommun, Metodhandbok för samverkan (2023)"
AMAL = "Åmåls kommun, Samverkan mellan skola och socialtjänst"
OSTERMALM = "Östermalms stadsdelsförvaltning, rapport om samverkanssatsningen 2006–2007"
OSTERMALM_43 = OSTERMALM + ", avsnitt 4.3 Samsyn"
OSTERMALM_6 = OSTERMALM + ", avsnitt 6 Rutiner vid anmälan och delaktighet"

SOL = "Socialtjänstlagen (2001:453)"
SOL_NEW = "Socialtjänstlagen (2025:400), gäller från 1 juli 2025"
SKOLL = "Skollagen (2010:800)"
HSL = "Hälso- och sjukvårdslagen (2017:30), HSL"
LPT = "Lagen (1991:1128) om psykiatrisk tvångsvård, LPT"
LSS = "Lagen (1993:387) om stöd och service till vissa funktionshindrade, LSS"
LVU = "Lagen (1990:52) med särskilda bestämmelser om vård av unga, LVU"
OSL = "Offentlighets- och sekretesslagen (2009:400), OSL"
PDL = "Patientdatalagen (2008:355), PDL"
POLISLAG = "Polislagen (1984:387)"
SFB = "Socialförsäkringsbalken (2010:110)"

REPORT_DUTY_LAW = (
    "SoL (2001:453) 14 kap. 1 §, i nya socialtjänstlagen (2025:400) 19 kap. 1 §; "
    "sekretessen hindrar inte en anmälan (OSL 10 kap. 28 §)."
)
SIP_LAW = "HSL 16 kap. 4 § och SoL (2001:453) 2 kap. 7 §, i nya SoL 10 kap. 8–9 §§."


def _lines(*items: str) -> str:
    return "\n".join(items)


# Actor catalogue -------------------------------------------------------------------
ACTORS: list[dict] = [
    {
        "code": "barnhalsovard",
        "name": "Barnhälsovården (BVC)",
        "directory_type": "barnhalsovard",
        "principal": "Regionen (eller en privat vårdgivare på regionens uppdrag)",
        "mission": (
            "Barnhälsovården följer alla barn från födseln till skolstarten med hälsobesök, "
            "vaccinationer och föräldrastöd. Arbetet är i första hand förebyggande. "
            "Eftersom nästan alla familjer kommer dit har barnhälsovården goda chanser att "
            "tidigt se barn och föräldrar som behöver mer stöd, och kan behöva samverka "
            "med förskolan och socialtjänsten för att barnet ska må bra."
        ),
        "laws": _lines(HSL, PDL, LPT),
        "duty_report": (
            "Personalen måste genast anmäla till socialnämnden när de får veta eller "
            "misstänker att ett barn far illa. " + REPORT_DUTY_LAW
        ),
        "duty_sip": (
            "Regionen ska tillsammans med kommunen göra en samordnad individuell plan när "
            "ett barn behöver insatser från både hälso- och sjukvården och socialtjänsten "
            "och planen behövs för att barnets behov ska tillgodoses. " + SIP_LAW
        ),
        "duty_collaborate": (
            "Hälso- och sjukvården ska samverka med andra samhällsorgan och organisationer "
            "när ett barn far illa eller riskerar att fara illa; socialnämnden tar "
            "initiativet. Regionen och kommunen ska ha en överenskommelse om samarbete "
            "kring personer med psykisk funktionsnedsättning (HSL 16 kap.)."
        ),
        "secrecy": (
            "Hälso- och sjukvårdssekretess (OSL 25 kap.) i offentlig vård, tystnadsplikt "
            "enligt patientsäkerhetslagen i privat vård. Uppgifter lämnas till andra med "
            "vårdnadshavarens samtycke eller när lagen kräver det, som vid en anmälan."
        ),
        "contributes": (
            "Kunskap om barnets hälsa och utveckling från tidig ålder, kontakt med "
            "föräldrarna, föräldragrupper och hembesök."
        ),
        "sources": _lines(MELWIN, HSL, SOL, OSL),
    },
    {
        "code": "bup",
        "name": "Barn- och ungdomspsykiatrin (BUP)",
        "directory_type": "bup",
        "principal": "Regionen",
        "mission": (
            "BUP är den specialiserade psykiatrin för barn och unga. Där utreds och "
            "behandlas psykisk ohälsa och psykiatriska tillstånd, t.ex. depression, "
            "ångest, ätstörningar och neuropsykiatriska funktionsnedsättningar, och "
            "familjen får stöd vid akuta kriser. Barn kommer ofta via remiss från "
            "elevhälsan eller primärvården."
        ),
        "laws": _lines(HSL, LPT, PDL),
        "duty_report": (
            "Personalen på BUP måste genast anmäla till socialnämnden vid kännedom om "
            "eller misstanke om att ett barn far illa. " + REPORT_DUTY_LAW
        ),
        "duty_sip": (
            "Ska tillsammans med kommunen upprätta en SIP när barnet behöver insatser "
            "från både hälso- och sjukvården och socialtjänsten. BUP kan också själv kalla "
            "till SIP när behovet uppmärksammas där först. " + SIP_LAW
        ),
        "duty_collaborate": (
            "Ska samverka med skola, socialtjänst och andra berörda när ett barn far illa "
            "eller riskerar att fara illa, på socialnämndens initiativ. Regionen och "
            "kommunen ska ha en överenskommelse om samarbete kring barn och unga med "
            "psykisk funktionsnedsättning."
        ),
        "secrecy": (
            "Hälso- och sjukvårdssekretess (OSL 25 kap.). Även att ett barn är aktuellt "
            "på BUP är sekretessbelagt; det som ska delas med skola eller socialtjänst "
            "kräver samtycke."
        ),
        "contributes": (
            "Specialistkunskap om psykisk ohälsa, diagnostik, behandling och råd till "
            "skolan om anpassningar (med samtycke)."
        ),
        "sources": _lines(MELWIN, HSL, LPT, SOL, OSL),
    },
    {
        "code": "forskola",
        "name": "Förskolan",
        "directory_type": "forskola",
        "principal": "Kommunen eller en enskild huvudman",
        "mission": (
            "Förskolan ska ge barnen en trygg, rolig och lärorik vardag och lägga grunden "
            "för fortsatt lärande. Personalen träffar barnet nästan varje dag och ser hur "
            "det utvecklas och mår. Barn som behöver mer stöd eller stimulans ska få det "
            "utformat efter sina egna behov."
        ),
        "laws": _lines(SKOLL + ", särskilt 8 kap. om förskolan", "Läroplan för förskolan"),
        "duty_report": (
            "All personal i förskolan, både kommunal och enskild, måste genast anmäla "
            "till socialnämnden vid kännedom om eller misstanke om att ett barn far illa. "
            "Det räcker med misstanke; det är socialtjänsten som utreder. " + REPORT_DUTY_LAW
        ),
        "duty_sip": (
            "Skollagen ålägger inte förskolan att upprätta SIP, men förskolan bjuds ofta "
            "in och kan delta med vårdnadshavarnas samtycke. I vissa regioner har "
            "förskola och skola enligt regional överenskommelse samma roll i SIP som "
            "socialtjänst och hälso- och sjukvård."
        ),
        "duty_collaborate": (
            "Förskolans huvudman och personal ska samverka med andra samhällsorgan och "
            "organisationer när ett barn far illa eller riskerar att fara illa "
            "(skollagen 29 kap. 13 §). Socialnämnden har ansvaret för att ta initiativet. "
            "Förskolechefen (rektorn) ansvarar för att barn får det särskilda stöd de "
            "behöver (skollagen 8 kap. 9 §)."
        ),
        "secrecy": (
            "I kommunal förskola gäller sekretess enligt OSL 23 kap.; i enskild förskola "
            "tystnadsplikt enligt skollagen 29 kap. 14 §. Uppgifter lämnas med samtycke "
            "eller i en anmälan."
        ),
        "contributes": (
            "Daglig kunskap om barnet i grupp, samarbetet med föräldrarna och möjligheten "
            "att ge stöd i vardagen."
        ),
        "sources": _lines(MELWIN, SKOLL, SOL, GNESTA),
    },
    {
        "code": "skola",
        "name": "Skolan",
        "directory_type": "skola",
        "principal": "Kommunen eller en enskild huvudman",
        "mission": (
            "Skolan ska ge alla elever kunskaper och värden och anpassa undervisningen "
            "efter varje elevs förutsättningar. Elever som riskerar att inte nå målen ska "
            "få extra anpassningar och vid behov särskilt stöd. Skolan är den verksamhet "
            "som träffar nästan alla barn och unga varje vardag."
        ),
        "laws": _lines(
            SKOLL + ", bl.a. 3 kap. (stöd), 7 kap. (skolplikt och frånvaro), 29 kap.",
            "Läroplanerna för grundskolan och gymnasieskolan",
        ),
        "duty_report": (
            "Lärare, rektorer och all annan personal måste genast anmäla till "
            "socialnämnden vid kännedom om eller misstanke om att en elev far illa. "
            "Anmälan görs av den som har oron; den kan inte lämnas över till någon annan. "
            + REPORT_DUTY_LAW
        ),
        "duty_sip": (
            "Skollagen kräver inte att skolan upprättar SIP, men skolan kallas ofta och "
            "kan delta när eleven eller vårdnadshavarna samtycker. Enligt regionala "
            "överenskommelser (t.ex. i Sörmland) kan skolan ha samma rättigheter och "
            "skyldigheter i SIP som socialtjänsten och hälso- och sjukvården."
        ),
        "duty_collaborate": (
            "Skolans huvudman och personal ska samverka med andra när en elev far illa "
            "eller riskerar att fara illa (skollagen 29 kap. 13 §); socialnämnden tar "
            "initiativet. Personal ska anmäla till rektorn när en elev kan behöva särskilt "
            "stöd, och rektorn ska se till att behovet utreds skyndsamt. Upprepad eller "
            "långvarig frånvaro ska utredas."
        ),
        "secrecy": (
            "Kommunal skola: sekretess enligt OSL 23 kap. Fristående skola: tystnadsplikt "
            "enligt skollagen 29 kap. 14 §. Med samtycke kan uppgifter lämnas till "
            "socialtjänsten och vården."
        ),
        "contributes": (
            "Kunskap om elevens lärande, närvaro och kamratrelationer; anpassningar, "
            "särskilt stöd och en trygg skolgång, som i sig är en stark skyddsfaktor."
        ),
        "sources": _lines(MELWIN, SKOLL, SOL, GNESTA, OSTERMALM),
    },
    {
        "code": "elevhalsa",
        "name": "Elevhälsan",
        "directory_type": "elevhalsa",
        "principal": "Skolans huvudman (kommunen eller en enskild huvudman)",
        "mission": (
            "Elevhälsan samlar skolans medicinska, psykologiska, psykosociala och "
            "specialpedagogiska kompetens: skolsköterska, skolläkare, psykolog, kurator "
            "och specialpedagog. Den arbetar främst förebyggande och hälsofrämjande och "
            "ska stödja elevernas utveckling mot målen. Elevhälsan är ofta skolans länk "
            "till vården och socialtjänsten."
        ),
        "laws": _lines(
            SKOLL + ", 2 kap. 25–28 §§ om elevhälsan",
            HSL + " (den medicinska insatsen)",
            PDL + " (journaler för den medicinska och psykologiska insatsen)",
        ),
        "duty_report": (
            "Elevhälsans personal har samma skyldighet som övrig skolpersonal att genast "
            "anmäla oro för att ett barn far illa till socialnämnden. " + REPORT_DUTY_LAW
        ),
        "duty_sip": (
            "Deltar ofta i SIP för skolans räkning och kan ta initiativ till att kalla, "
            "med samtycke. Skolsköterskan och skolpsykologen arbetar då som hälso- och "
            "sjukvårdspersonal."
        ),
        "duty_collaborate": (
            "Ska samverka externt med hälso- och sjukvården, socialtjänsten och andra "
            "aktörer kring elever som behöver det, och samverkar på socialnämndens "
            "initiativ när en elev far illa."
        ),
        "secrecy": (
            "Stark sekretess för elevhälsans uppgifter (OSL 23 kap. 2 § och 25 kap.): "
            "uppgifter lämnas normalt inte ens till lärare utan samtycke, om det inte "
            "behövs för elevens stöd i skolan."
        ),
        "contributes": (
            "Skolutredningar (pedagogisk, psykologisk, social och medicinsk bedömning), "
            "samtal, hälsobesök, remisser till vården och råd om anpassningar."
        ),
        "sources": _lines(MELWIN, SKOLL, HSL, OSL),
    },
    {
        "code": "socialtjanst",
        "name": "Socialtjänsten (barn och familj)",
        "directory_type": "socialtjanst",
        "principal": "Kommunen (socialnämnden)",
        "mission": (
            "Socialtjänsten har det yttersta ansvaret för att barn och unga som far illa "
            "eller riskerar att fara illa får det stöd och skydd de behöver. Uppdraget är "
            "dubbelt: råd, stöd och förebyggande arbete i öppna verksamheter som "
            "familjecentraler, och myndighetsutövning – att ta emot anmälningar, utreda, "
            "besluta om insatser och vid behov om vård utan samtycke."
        ),
        "laws": _lines(SOL, SOL_NEW, LVU, LSS, OSL + ", 26 kap."),
        "duty_report": (
            "Anställda inom socialtjänsten har själva anmälningsskyldighet. Socialnämnden "
            "tar emot anmälningar, gör en skyddsbedömning samma dag och inom 14 dagar en "
            "förhandsbedömning av om utredning ska inledas (SoL 2001:453 11 kap. 1 a §, "
            "i nya SoL 20 kap. 2 §). En utredning ska vara klar inom fyra månader."
        ),
        "duty_sip": (
            "Kommunen ska tillsammans med regionen upprätta en SIP när den enskilde "
            "behöver insatser från båda och planen behövs. Socialtjänsten kallar ofta "
            "och har ofta samordnaransvaret. " + SIP_LAW
        ),
        "duty_collaborate": (
            "Socialnämnden ska aktivt verka för att samverkan kommer till stånd kring barn "
            "som far illa eller riskerar att fara illa och ska ta initiativet till den "
            "(SoL 2001:453 5 kap. 1 a §). Nämnden ska också arbeta uppsökande och "
            "förebyggande."
        ),
        "secrecy": (
            "Stark socialtjänstsekretess (OSL 26 kap.). Redan att en familj är aktuell är "
            "sekretess. Till en anmälare får socialtjänsten utan samtycke bara återkoppla "
            "det som är harmlöst eller redan känt, t.ex. om utredning inleds och vem som "
            "handlägger; mer kräver samtycke."
        ),
        "contributes": (
            "Utredning av barnets hela situation (BBIC), öppenvårdsinsatser, "
            "föräldrastöd, kontaktperson, placering, och kontaktsocialsekreterare till "
            "skolor och förskolor."
        ),
        "sources": _lines(MELWIN, KUNSKAPSGUIDEN, SOL, SOL_NEW, OSTERMALM_6),
    },
    {
        "code": "vardcentral",
        "name": "Vårdcentralen (primärvården)",
        "directory_type": "vardcentral",
        "principal": "Regionen (eller en privat vårdgivare på regionens uppdrag)",
        "mission": (
            "Vårdcentralen är första linjens hälso- och sjukvård för alla åldrar och har "
            "ofta ett uppdrag för lindrig psykisk ohälsa hos barn och unga. Den möter också "
            "föräldrarna, och kan se när en förälders sjukdom eller missbruk påverkar "
            "barnen."
        ),
        "laws": _lines(HSL, PDL),
        "duty_report": (
            "Personalen måste genast anmäla oro för att ett barn far illa till "
            "socialnämnden, även när oron väcks i kontakt med en förälder. " + REPORT_DUTY_LAW
        ),
        "duty_sip": "Som del av regionens hälso- och sjukvård ingår vårdcentralen i SIP. "
        + SIP_LAW,
        "duty_collaborate": (
            "Ska samverka kring barn som far illa på socialnämndens initiativ. "
            "Hälso- och sjukvården ska särskilt beakta barns behov av information och stöd "
            "när en förälder är allvarligt sjuk, har ett missbruk eller avlider (HSL 5 kap. "
            "7 §)."
        ),
        "secrecy": "Hälso- och sjukvårdssekretess (OSL 25 kap.) respektive tystnadsplikt.",
        "contributes": "Medicinska bedömningar, samtalsstöd och remisser vidare till BUP.",
        "sources": _lines(HSL, SOL, AMAL),
    },
    {
        "code": "polis",
        "name": "Polisen",
        "directory_type": "polis",
        "principal": "Staten (Polismyndigheten)",
        "mission": (
            "Polisen förebygger och utreder brott och ger skydd. I arbetet med barn och "
            "unga handlar det om att tidigt upptäcka unga i riskmiljöer, utreda brott mot "
            "och av barn och samverka lokalt med skola, socialtjänst och fritid, t.ex. "
            "genom kommunpoliser och samverkansöverenskommelser."
        ),
        "laws": _lines(
            POLISLAG,
            "Lagen (1964:167) med särskilda bestämmelser om unga lagöverträdare, LUL",
            SOL,
        ),
        "duty_report": (
            "Polismyndigheten omfattas av anmälningsskyldigheten och ska genast anmäla "
            "till socialnämnden vid kännedom om eller misstanke om att ett barn far illa. "
            + REPORT_DUTY_LAW
        ),
        "duty_sip": (
            "Har ingen skyldighet att delta i SIP men kan bjudas in när den unge och "
            "vårdnadshavarna samtycker."
        ),
        "duty_collaborate": (
            "Polisen ska samarbeta med andra myndigheter och organisationer vars "
            "verksamhet berör polisens, och genast underrätta socialtjänsten om "
            "förhållanden som kan kräva socialtjänstens åtgärder (polislagen 3 §)."
        ),
        "secrecy": (
            "Sekretess enligt OSL, bl.a. 18 kap. (brottsbekämpning) och 35 kap. (uppgifter "
            "om enskilda i brottsutredningar)."
        ),
        "contributes": (
            "Lägesbild över brott och riskmiljöer, orosanmälningar, deltagande i lokala "
            "samverkansgrupper (t.ex. skola–socialtjänst–polis–fritid)."
        ),
        "sources": _lines(KUNSKAPSGUIDEN, POLISLAG, SOL, OSTERMALM),
    },
    {
        "code": "forsakringskassan",
        "name": "Försäkringskassan",
        "directory_type": "",
        "principal": "Staten",
        "mission": (
            "Försäkringskassan handlägger socialförsäkringar och ersättningar, bland annat "
            "föräldrapenning, tillfällig föräldrapenning vid vård av sjukt barn, "
            "omvårdnadsbidrag och merkostnadsersättning för barn med funktionsnedsättning, "
            "assistansersättning och underhållsstöd. För en familj kan ekonomin vara en "
            "förutsättning för att annat stöd ska fungera."
        ),
        "laws": _lines(SFB, SOL),
        "duty_report": (
            "Försäkringskassan är en myndighet vars verksamhet berör barn och unga, och "
            "dess anställda är därför skyldiga att genast anmäla till socialnämnden vid "
            "kännedom om eller misstanke om att ett barn far illa. " + REPORT_DUTY_LAW
        ),
        "duty_sip": (
            "Ingen skyldighet att delta i SIP, men kan bjudas in när familjen samtycker, "
            "t.ex. när ersättningar påverkar planeringen för ett barn med "
            "funktionsnedsättning."
        ),
        "duty_collaborate": (
            "Samverkar med kommuner och regioner bl.a. inom samordningsförbund (lag "
            "2003:1210) och i regelbundna samverkansträffar där familjen har samtyckt."
        ),
        "secrecy": "Socialförsäkringssekretess (OSL 28 kap.).",
        "contributes": "Information om ersättningar och handläggning som rör familjen.",
        "sources": _lines(KUNSKAPSGUIDEN, AMAL, SFB),
    },
    {
        "code": "arbetsformedlingen",
        "name": "Arbetsförmedlingen",
        "directory_type": "",
        "principal": "Staten",
        "mission": (
            "Arbetsförmedlingen hjälper arbetssökande till arbete och utbildning. För unga "
            "från 16 år som varken arbetar eller studerar, och för föräldrar som står långt "
            "från arbetsmarknaden, kan stöd därifrån vara en viktig del av en samlad plan."
        ),
        "laws": _lines(
            "Lagen (2000:625) om arbetsmarknadspolitiska program",
            SOL,
        ),
        "duty_report": (
            "Omfattas av anmälningsskyldigheten i den del verksamheten berör barn och unga "
            "under 18 år; anställda ska då anmäla oro för att ett barn far illa till "
            "socialnämnden. Den som inte omfattas bör ändå anmäla (SoL 2001:453 14 kap. "
            "1 c §). " + REPORT_DUTY_LAW
        ),
        "duty_sip": "Ingen skyldighet att delta, men kan bjudas in till SIP med samtycke.",
        "duty_collaborate": (
            "Samverkar med kommunen kring unga som varken arbetar eller studerar (kommunens "
            "aktivitetsansvar enligt skollagen 29 kap. 9 §) och inom samordningsförbund."
        ),
        "secrecy": "Sekretess enligt OSL 28 kap. för uppgifter om enskildas förhållanden.",
        "contributes": "Arbetsmarknadsinsatser, praktik och studie- och yrkesvägledning.",
        "sources": _lines(AMAL, KUNSKAPSGUIDEN, SKOLL),
    },
    {
        "code": "ideburna",
        "name": "Idéburna organisationer",
        "directory_type": "",
        "principal": "Föreningar, stiftelser och trossamfund",
        "mission": (
            "Idéburna organisationer – idrottsföreningar, kultur- och fritidsverksamhet, "
            "kyrkor, stödlinjer och stödgrupper för barn och föräldrar – når många barn på "
            "deras fritid. De kan erbjuda en meningsfull fritid, trygga vuxna och "
            "gemenskap, som alla är viktiga skyddsfaktorer."
        ),
        "laws": _lines("Ingen särskild lag styr verksamheten; " + SOL + " 14 kap. 1 c §"),
        "duty_report": (
            "Ingen lagstadgad anmälningsskyldighet (utom i yrkesmässig verksamhet som berör "
            "barn, t.ex. en ideell aktör som driver skola eller HVB). Var och en som får "
            "veta eller misstänker att ett barn far illa bör ändå anmäla till "
            "socialnämnden (SoL 2001:453 14 kap. 1 c §)."
        ),
        "duty_sip": (
            "Kan bjudas in till SIP när barnet och vårdnadshavarna vill det och samtycker."
        ),
        "duty_collaborate": (
            "Ingen skyldighet, men samverkan med idéburna organisationer inom t.ex. "
            "kultur- och fritidsområdet kan vara värdefull. Överenskommelser (IOP) kan "
            "reglera samarbetet med kommunen."
        ),
        "secrecy": (
            "OSL gäller inte. Uppgifter om barn som organisationen får från kommunen måste "
            "bygga på samtycke, och organisationen bör ha egna regler om tystnad."
        ),
        "contributes": "Fritid, gemenskap, förebilder och stöd utan myndighetsutövning.",
        "sources": _lines(KUNSKAPSGUIDEN, SOL),
    },
]


# Glossary ------------------------------------------------------------------------------
CONCEPTS: list[dict] = [
    {
        "code": "samverkan",
        "term": "Samverkan",
        "abbreviation": "",
        "synonyms": "samarbete",
        "definition": (
            "När två eller flera verksamheter var och en bidrar med sina egna resurser, "
            "kunskaper och kompetenser till en uppgift som de har tillsammans – här att ett "
            "barn får rätt stöd i rätt tid."
        ),
        "explanation": (
            "Samverkan kan vara allt från att ringa en kollega i en annan verksamhet till en "
            "gemensam plan för ett barn. Den kräver styrning, struktur och samsyn. I "
            "enskilda ärenden kräver den samtycke; på gruppnivå, med avidentifierade fall, "
            "kan man samverka fritt."
        ),
        "sources": _lines(VAGLEDNING, GNESTA, OSTERMALM),
    },
    {
        "code": "samsyn",
        "term": "Samsyn",
        "abbreviation": "",
        "synonyms": "gemensam bild",
        "definition": (
            "En gemensam bild av barnets behov och av varandras uppdrag, byggd på en "
            "gemensam värdegrund, gemensamma begrepp och kunskap om risk- och "
            "skyddsfaktorer."
        ),
        "explanation": (
            "Samsyn betyder inte att alla ska tycka lika. Det handlar om att förstå och "
            "respektera olikheterna i uppdrag och regelverk, och att kunna samtala "
            "prestigelöst om vilka insatser som hjälper."
        ),
        "sources": _lines(KUNSKAPSGUIDEN, OSTERMALM_43),
    },
    {
        "code": "styrning",
        "term": "Styrning",
        "abbreviation": "",
        "synonyms": "ledning, mandat",
        "definition": (
            "Att ledningen på alla nivåer ger samverkan mandat, formulerar mål och "
            "efterfrågar resultat."
        ),
        "explanation": (
            "Utan styrning blir samverkan beroende av enskilda personers engagemang. "
            "Ledningen ska förtydliga uppdrag och regler, t.ex. genom gemensamma rutiner "
            "mellan socialtjänst och skola."
        ),
        "sources": _lines(KUNSKAPSGUIDEN, OSTERMALM),
    },
    {
        "code": "struktur",
        "term": "Struktur",
        "abbreviation": "",
        "synonyms": "rutiner, överenskommelse",
        "definition": (
            "Tydlig arbetsfördelning, rutiner och skriftliga överenskommelser om vem som "
            "gör vad, när och hur."
        ),
        "explanation": (
            "Struktur gör samverkan mindre personberoende så att den överlever personalbyten "
            "och omorganisationer. Överenskommelser kan beskriva ansvar, mål, målgrupper, "
            "uppföljning och utvärdering."
        ),
        "sources": _lines(KUNSKAPSGUIDEN, OSTERMALM),
    },
    {
        "code": "sip",
        "term": "Samordnad individuell plan",
        "abbreviation": "SIP",
        "synonyms": "individuell plan",
        "definition": (
            "En gemensam plan som kommunen och regionen gör tillsammans med barnet och "
            "familjen när barnet behöver insatser från både socialtjänsten och hälso- och "
            "sjukvården."
        ),
        "explanation": (
            "Planen visar vilka insatser som behövs, vem som ansvarar för vad, vem som har "
            "det övergripande ansvaret och vem som är samordnare. Den bygger på samtycke "
            "och delaktighet och följs upp – en SIP är en process, inte ett enstaka möte. "
            "Den som först ser behovet kallar. " + SIP_LAW
        ),
        "sources": _lines(KUNSKAPSGUIDEN, GNESTA, HSL, SOL),
    },
    {
        "code": "samordnare",
        "term": "Samordnare",
        "abbreviation": "",
        "synonyms": "SIP-samordnare",
        "definition": (
            "Den namngivna person i en av de berörda verksamheterna som håller ihop en SIP "
            "och följer upp att det som bestämts blir gjort."
        ),
        "explanation": (
            "Samordnaren behöver inte vara den som kallade. Vem det blir avgörs av barnets "
            "och familjens önskemål, insatsernas art och vem som träffar barnet oftast."
        ),
        "sources": _lines(GNESTA, OSTERMALM),
    },
    {
        "code": "barn-som-far-illa",
        "term": "Barn som far illa",
        "abbreviation": "",
        "synonyms": "barn som riskerar att fara illa",
        "definition": (
            "Barn vars hälsa eller utveckling skadas eller riskerar att skadas, t.ex. av "
            "våld, försummelse, övergrepp, eller eget beteende som missbruk eller "
            "kriminalitet."
        ),
        "explanation": (
            "Det är ett brett begrepp. Anmälningsskyldigheten gäller redan vid misstanke; "
            "det är socialtjänsten som bedömer om barnet behöver skydd eller stöd."
        ),
        "sources": _lines(SOL, MELWIN),
    },
    {
        "code": "orosanmalan",
        "term": "Orosanmälan",
        "abbreviation": "",
        "synonyms": "anmälan till socialtjänsten",
        "definition": (
            "En anmälan till socialnämnden om att ett barn kan behöva skydd eller stöd."
        ),
        "explanation": (
            "En anmälan görs skriftligt; i akuta fall först muntligt och sedan skriftligt "
            "inom ett par dagar. Den som anmäler i tjänsten kan inte vara anonym. "
            "Socialtjänsten bekräftar att anmälan kommit in och berättar vem som "
            "handlägger. Ett trepartssamtal med familjen kan göra anmälan till en start på "
            "samarbete."
        ),
        "sources": _lines(OSTERMALM_6, SOL),
    },
    {
        "code": "anmalningsskyldighet",
        "term": "Anmälningsskyldighet",
        "abbreviation": "",
        "synonyms": "anmälningsplikt",
        "definition": (
            "Skyldigheten för myndigheter och yrkesverksamma som arbetar med barn att "
            "genast anmäla till socialnämnden när de får veta eller misstänker att ett barn "
            "far illa."
        ),
        "explanation": (
            "Skyldigheten är personlig och går före sekretessen. Den gäller bl.a. skola, "
            "förskola, hälso- och sjukvård, socialtjänst och polis. Den som anmält ska "
            "också lämna uppgifter som kan ha betydelse för utredningen. " + REPORT_DUTY_LAW
        ),
        "sources": _lines(SOL, SOL_NEW, OSL),
    },
    {
        "code": "skyddsbedomning",
        "term": "Skyddsbedömning",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Socialtjänstens omedelbara bedömning, samma dag som en anmälan kommer in, av "
            "om barnet behöver skydd direkt."
        ),
        "explanation": "Görs innan förhandsbedömningen och dokumenteras.",
        "sources": _lines(SOL, OSTERMALM_6),
    },
    {
        "code": "forhandsbedomning",
        "term": "Förhandsbedömning",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Socialtjänstens bedömning, inom 14 dagar från att anmälan kom in, av om en "
            "utredning ska inledas."
        ),
        "explanation": (
            "Tiden får förlängas bara om det finns synnerliga skäl, som ska dokumenteras. "
            "Pågår redan en utredning om barnet görs ingen ny förhandsbedömning. "
            "(SoL 2001:453 11 kap. 1 a §; i nya SoL 20 kap. 2 §.)"
        ),
        "sources": _lines(SOL, SOL_NEW),
    },
    {
        "code": "utredning",
        "term": "Utredning",
        "abbreviation": "",
        "synonyms": "barnavårdsutredning",
        "definition": (
            "Socialtjänstens undersökning av barnets situation och behov, som ska vara "
            "klar inom fyra månader."
        ),
        "explanation": (
            "Socialtjänsten kan hämta uppgifter från skola, vård och andra. Anmälare och "
            "andra med anmälningsskyldighet är skyldiga att lämna uppgifter. Förlängning "
            "kräver särskilda skäl (SoL 2001:453 11 kap. 2 §)."
        ),
        "sources": _lines(SOL, OSTERMALM_6),
    },
    {
        "code": "aterkoppling",
        "term": "Återkoppling",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Det besked socialtjänsten ger den som gjort en anmälan om vad som händer med den."
        ),
        "explanation": (
            "Återkoppling är den viktigaste faktorn för tillit mellan verksamheterna. Utan "
            "samtycke får bara harmlösa eller redan kända uppgifter lämnas, t.ex. vem som "
            "handlägger, om en utredning inleds eller inte, att utredningen avslutats, och "
            "att anmälan var riktig. Mer kräver samtycke."
        ),
        "sources": _lines(OSTERMALM_6, OSL),
    },
    {
        "code": "samtycke",
        "term": "Samtycke",
        "abbreviation": "",
        "synonyms": "sekretesslättnad",
        "definition": (
            "Den enskildes (för barn: vårdnadshavarnas, och med stigande ålder barnets "
            "eget) frivilliga och informerade medgivande till att uppgifter lämnas mellan "
            "verksamheter."
        ),
        "explanation": (
            "Samtycket ska vara tydligt: vilka får prata med vilka, om vad. Det kan tas "
            "tillbaka när som helst, och behöver förnyas när ett ärende ändrar karaktär, "
            "t.ex. från frivilligt stöd till utredning. Se OSL 12 kap. 2 §."
        ),
        "sources": _lines(OSL, AMAL, GNESTA),
    },
    {
        "code": "sekretess",
        "term": "Sekretess",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Förbud i offentlighets- och sekretesslagen att röja uppgifter, gäller mellan "
            "myndigheter och mellan verksamheter inom samma kommun."
        ),
        "explanation": (
            "Varje verksamhet är sin egen sekretessdomän: skolan, socialtjänsten och vården "
            "får inte dela uppgifter om ett barn utan samtycke eller en uttrycklig "
            "lagregel (sekretessbrytande bestämmelse)."
        ),
        "sources": _lines(OSL, KUNSKAPSGUIDEN),
    },
    {
        "code": "tystnadsplikt",
        "term": "Tystnadsplikt",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Skyldigheten att inte berätta om enskildas förhållanden; motsvarigheten till "
            "sekretess för privat verksamhet."
        ),
        "explanation": (
            "Gäller t.ex. i fristående skolor (skollagen 29 kap. 14 §) och privat vård "
            "(patientsäkerhetslagen). Anmälningsskyldigheten går före tystnadsplikten."
        ),
        "sources": _lines(SKOLL, OSL),
    },
    {
        "code": "sekretessbrytande-bestammelse",
        "term": "Sekretessbrytande bestämmelse",
        "abbreviation": "",
        "synonyms": "",
        "definition": ("En lagregel som gör att uppgifter får eller ska lämnas trots sekretessen."),
        "explanation": (
            "Exempel: uppgiftsskyldighet som följer av lag, som anmälningsskyldigheten "
            "(OSL 10 kap. 28 §), och att socialtjänsten får lämna uppgifter till vården "
            "när ett barn behöver nödvändig vård (OSL 26 kap.)."
        ),
        "sources": _lines(OSL, OSTERMALM_6),
    },
    {
        "code": "vardnadshavare",
        "term": "Vårdnadshavare",
        "abbreviation": "",
        "synonyms": "förälder",
        "definition": (
            "Den eller de som har den rättsliga vårdnaden om barnet, oftast föräldrarna."
        ),
        "explanation": (
            "Vårdnadshavarna företräder barnet och samtycker för barnets räkning. Vid "
            "gemensam vårdnad behövs båda. Barnets egen mening väger tyngre med ålder och "
            "mognad."
        ),
        "sources": _lines(GNESTA, OSL),
    },
    {
        "code": "medaktor",
        "term": "Medaktör",
        "abbreviation": "",
        "synonyms": "delaktighet",
        "definition": (
            "Att barnet och familjen ses som aktiva parter som är med och planerar, "
            "genomför och följer upp stödet."
        ),
        "explanation": (
            "Barn och föräldrar har ofta kunskap som ingen annan har. Delaktighet gör det "
            "också lättare att få samtycke."
        ),
        "sources": _lines(KUNSKAPSGUIDEN, MELWIN),
    },
    {
        "code": "helhetssyn",
        "term": "Helhetssyn",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Att utgå från barnets hela situation – hälsa, skola, familj och fritid – "
            "snarare än från en verksamhets gränser."
        ),
        "explanation": "Grunden för att barnet ska få rätt insatser i rätt tid.",
        "sources": _lines(KUNSKAPSGUIDEN, GNESTA),
    },
    {
        "code": "graszon",
        "term": "Gråzon",
        "abbreviation": "",
        "synonyms": "gränsdragningsfråga, ansvarsfråga",
        "definition": (
            "En situation där det är oklart eller omstritt vilken verksamhet som ansvarar "
            "för ett barns behov."
        ),
        "explanation": (
            "Gråzoner uppstår i gränsen mellan uppdragen, t.ex. kring barn med stor "
            "skolfrånvaro. De löses genom att frågan lyfts steg för steg: eget internt "
            "forum, gemensamt samverkansorgan, styrgrupp och sist politisk nivå."
        ),
        "sources": _lines(OSTERMALM),
    },
    {
        "code": "tidiga-insatser",
        "term": "Tidiga insatser",
        "abbreviation": "",
        "synonyms": "förebyggande arbete",
        "definition": (
            "Stöd som sätts in när problemen är små eller när risken först syns, innan de "
            "har vuxit sig stora."
        ),
        "explanation": (
            "Tidiga insatser kräver att verksamheterna känner varandra och vågar kontakta "
            "varandra tidigt, ofta på gruppnivå eller med samtycke."
        ),
        "sources": _lines(GNESTA, MELWIN),
    },
    {
        "code": "insats",
        "term": "Insats",
        "abbreviation": "",
        "synonyms": "stöd, åtgärd",
        "definition": "Ett stöd, en behandling eller en åtgärd som ges till barnet eller familjen.",
        "explanation": (
            "Varje verksamhet beslutar om och ansvarar för sina egna insatser; i en SIP "
            "framgår vem som gör vad."
        ),
        "sources": _lines(KUNSKAPSGUIDEN),
    },
    {
        "code": "extra-anpassningar",
        "term": "Extra anpassningar",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Mindre stödinsatser inom ordinarie undervisning, t.ex. ett särskilt schema "
            "eller hjälp att komma igång, som lärarna ger utan formellt beslut."
        ),
        "explanation": "Räcker inte anpassningarna ska behovet av särskilt stöd utredas.",
        "sources": _lines(SKOLL),
    },
    {
        "code": "sarskilt-stod",
        "term": "Särskilt stöd",
        "abbreviation": "",
        "synonyms": "åtgärdsprogram",
        "definition": (
            "Mer omfattande stöd i skolan som rektorn beslutar om efter en utredning, och "
            "som beskrivs i ett åtgärdsprogram."
        ),
        "explanation": "Regleras i skollagen 3 kap.; i förskolan i 8 kap. 9 §.",
        "sources": _lines(SKOLL, MELWIN),
    },
    {
        "code": "elevhalsoteam",
        "term": "Elevhälsoteam",
        "abbreviation": "EHT",
        "synonyms": "elevvårdsteam",
        "definition": (
            "Skolans forum där rektorn och elevhälsans personal tillsammans går igenom "
            "elevers behov av stöd."
        ),
        "explanation": (
            "Ofta den väg genom vilken skolan tar kontakt med socialtjänsten och vården."
        ),
        "sources": _lines(SKOLL, OSTERMALM),
    },
    {
        "code": "kontaktsocialsekreterare",
        "term": "Kontaktsocialsekreterare",
        "abbreviation": "",
        "synonyms": "kontaktperson på socialtjänsten",
        "definition": (
            "En fast kontakt på socialtjänsten för en skola eller förskola – en funktion, "
            "inte en person, så att kontakten finns kvar när personal byts."
        ),
        "explanation": (
            "Skolan vänder sig hit med frågor, för konsultation och för att boka samverkansträffar."
        ),
        "sources": _lines(OSTERMALM, GNESTA),
    },
    {
        "code": "huvudman",
        "term": "Huvudman",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "Den juridiska person som bär ansvaret för en verksamhet: kommunen, regionen, "
            "staten eller en enskild huvudman."
        ),
        "explanation": "Avtal om samverkan sluts mellan huvudmän.",
        "sources": _lines(KUNSKAPSGUIDEN),
    },
    {
        "code": "risk-och-skyddsfaktorer",
        "term": "Risk- och skyddsfaktorer",
        "abbreviation": "",
        "synonyms": "riskfaktor, skyddsfaktor",
        "definition": (
            "Förhållanden hos barnet, i familjen, i skolan och i samhället som ökar "
            "(risk) eller minskar (skydd) sannolikheten att ett barn far illa."
        ),
        "explanation": (
            "En enskild faktor säger lite; det är summan och samspelet som räknas. En "
            "gemensam kunskapsbas om faktorerna gör att verksamheterna talar samma språk."
        ),
        "sources": _lines(KUNSKAPSGUIDEN, OSTERMALM_43),
    },
    {
        "code": "evidensbaserad-praktik",
        "term": "Evidensbaserad praktik",
        "abbreviation": "EBP",
        "synonyms": "kunskapsbaserat arbete",
        "definition": (
            "Att väga samman bästa tillgängliga kunskap, den egna professionella "
            "erfarenheten och den enskildes situation och önskemål."
        ),
        "explanation": (
            "Standardiserade bedömningsmetoder och strukturerade dokumentationssystem stöder detta."
        ),
        "sources": _lines(MELWIN),
    },
    {
        "code": "avidentifierad-konsultation",
        "term": "Avidentifierad konsultation",
        "abbreviation": "",
        "synonyms": "anonym konsultation",
        "definition": (
            "Att diskutera ett fall utan att barnet eller familjen kan identifieras, för "
            "att få råd av en annan verksamhet utan samtycke."
        ),
        "explanation": (
            "Tänk på att detaljer kan röja identiteten i en liten kommun. När oron är "
            "allvarlig ska en anmälan göras i stället."
        ),
        "sources": _lines(GNESTA),
    },
    {
        "code": "problematisk-skolfranvaro",
        "term": "Problematisk skolfrånvaro",
        "abbreviation": "",
        "synonyms": "hemmasittare, ogiltig frånvaro",
        "definition": (
            "Frånvaro från skolan som är så stor eller långvarig att den hotar elevens "
            "utveckling och lärande, oavsett om den är anmäld eller inte."
        ),
        "explanation": (
            "Ett typiskt område där skola, elevhälsa, socialtjänst och BUP behöver ett "
            "gemensamt grepp. Rektorn ska se till att upprepad frånvaro utreds."
        ),
        "sources": _lines(MELWIN, OSTERMALM_43, SKOLL),
    },
    {
        "code": "motesplats",
        "term": "Mötesplats",
        "abbreviation": "",
        "synonyms": "studiedag, samverkansdag",
        "definition": (
            "Ett gemensamt tillfälle där personal från flera verksamheter lär känna "
            "varandras uppdrag och diskuterar samverkan."
        ),
        "explanation": (
            "Mötesplatser bygger tillit och ger struktur för fortsatt dialog, särskilt när "
            "ledningen är med."
        ),
        "sources": _lines(OSTERMALM),
    },
    {
        "code": "lagesanalys",
        "term": "Lägesanalys",
        "abbreviation": "",
        "synonyms": "",
        "definition": (
            "En årlig genomgång av hur det står till med barnen och samverkan, som grund "
            "för gemensamma fokusområden."
        ),
        "explanation": "Följs upp mot indikatorer i delårs- och årsredovisning.",
        "sources": _lines(GNESTA),
    },
    {
        "code": "barnets-basta",
        "term": "Barnets bästa",
        "abbreviation": "",
        "synonyms": "barnrättsperspektiv",
        "definition": (
            "Principen från barnkonventionen att barnets bästa ska beaktas först vid alla "
            "beslut som rör barn."
        ),
        "explanation": (
            "Barnkonventionen är svensk lag sedan 2020. Beslut som rör barn ska följas upp "
            "ur ett barnrättsperspektiv."
        ),
        "sources": _lines(
            GNESTA, "Lagen (2018:1197) om Förenta nationernas konvention om barnets rättigheter"
        ),
    },
]


# Risk and protective factors -------------------------------------------------------------
RF_SOURCES = _lines(
    "Socialstyrelsen, Kunskapsguiden: risk- och skyddsfaktorer för barn och unga",
    "Socialstyrelsen, Barns behov i centrum (BBIC), grundbok",
    OSTERMALM_43,
)


def _f(code, name, domain, kind, description, signs=""):
    return {
        "code": code,
        "name": name,
        "domain": domain,
        "kind": kind,
        "description": description,
        "signs": signs,
        "sources": RF_SOURCES,
    }


FACTORS: list[dict] = [
    # Child: risk
    _f(
        "barn-utagerande",
        "Tidigt utagerande eller aggressivt beteende",
        "barn",
        "risk",
        "Starka vredesutbrott, slag och bråk som håller i sig över tid och i flera "
        "miljöer ökar risken för senare problem i skolan och med kamrater.",
        "Lägg märke till mönster över tid och i olika miljöer, inte enstaka händelser.",
    ),
    _f(
        "barn-koncentration",
        "Svårt med koncentration och impulskontroll",
        "barn",
        "risk",
        "Svårigheter att koncentrera sig, slutföra uppgifter och vänta på sin tur, "
        "särskilt när omgivningen inte anpassas.",
        "Extra anpassningar och vid behov utredning genom elevhälsan.",
    ),
    _f(
        "barn-funktionsnedsattning",
        "Funktionsnedsättning utan anpassat stöd",
        "barn",
        "risk",
        "En funktionsnedsättning är i sig ingen risk, men när stödet inte motsvarar "
        "behoven ökar risken för misslyckanden, utanförskap och psykisk ohälsa.",
    ),
    _f(
        "barn-psykisk-ohalsa",
        "Psykisk ohälsa",
        "barn",
        "risk",
        "Nedstämdhet, ångest, självskada, sömnproblem eller tillbakadragenhet som "
        "påverkar vardagen.",
        "Kontakt med elevhälsan, vårdcentralen eller BUP.",
    ),
    _f(
        "barn-missbruk",
        "Tidig alkohol-, narkotika- eller spelanvändning",
        "barn",
        "risk",
        "Ju tidigare debut, desto större risk för senare missbruk och andra problem.",
    ),
    _f(
        "barn-normbrytande",
        "Normbrytande beteende och kriminalitet",
        "barn",
        "risk",
        "Snatteri, skadegörelse, våld eller kontakt med kriminella miljöer, särskilt i "
        "tidig ålder.",
    ),
    _f(
        "barn-isolering",
        "Isolering och tillbakadragande",
        "barn",
        "risk",
        "Barnet drar sig undan vänner och aktiviteter, stannar hemma och tappar kontakten "
        "med skolan.",
    ),
    # Child: protective
    _f(
        "barn-sjalvkansla",
        "God självkänsla och tro på sin egen förmåga",
        "barn",
        "skydd",
        "Barnet upplever att det klarar saker och kan påverka sin situation.",
    ),
    _f(
        "barn-social-formaga",
        "Social förmåga",
        "barn",
        "skydd",
        "Barnet kan samarbeta, lösa konflikter och få och behålla vänner.",
    ),
    _f(
        "barn-intressen",
        "Intressen och egna styrkor",
        "barn",
        "skydd",
        "Något barnet är bra på och tycker om ger stolthet och sammanhang.",
    ),
    _f(
        "barn-problemlosning",
        "Förmåga att hantera motgångar",
        "barn",
        "skydd",
        "Barnet kan be om hjälp, hantera känslor och försöka igen efter ett misslyckande.",
    ),
    # Family: risk
    _f(
        "familj-vald",
        "Våld i familjen",
        "familj",
        "risk",
        "Barnet utsätts för våld eller upplever våld mellan vuxna i familjen. Är alltid "
        "skäl att anmäla till socialtjänsten.",
        "Vårdnadshavare ska inte informeras om anmälan om det kan skada barnet.",
    ),
    _f(
        "familj-missbruk",
        "Missbruk hos förälder",
        "familj",
        "risk",
        "En förälders missbruk av alkohol, narkotika eller spel påverkar omsorgen och tryggheten.",
    ),
    _f(
        "familj-psykisk-sjukdom",
        "Psykisk sjukdom hos förälder",
        "familj",
        "risk",
        "När en förälder är allvarligt psykiskt sjuk kan barnet behöva information och "
        "stöd, och föräldern kan behöva hjälp med föräldraskapet.",
    ),
    _f(
        "familj-omsorgssvikt",
        "Brister i omsorg och tillsyn",
        "familj",
        "risk",
        "Barnet får inte mat, sömn, hygien, vård eller tillsyn som det behöver, eller "
        "saknar gränser och vuxennärvaro.",
    ),
    _f(
        "familj-konflikt",
        "Svåra konflikter mellan föräldrarna",
        "familj",
        "risk",
        "Långvariga konflikter, ofta kring separation och vårdnad, där barnet hamnar i kläm.",
    ),
    _f(
        "familj-ekonomi",
        "Ekonomisk utsatthet och trångboddhet",
        "familj",
        "risk",
        "Långvarigt låg inkomst, osäkert boende eller trångboddhet ökar stressen i "
        "familjen och begränsar barnets möjligheter.",
    ),
    # Family: protective
    _f(
        "familj-relation",
        "Nära och varm relation till en förälder",
        "familj",
        "skydd",
        "Minst en vuxen i familjen som barnet litar på och som finns där.",
    ),
    _f(
        "familj-tillsyn",
        "Tydliga ramar och engagerade föräldrar",
        "familj",
        "skydd",
        "Föräldrar som vet var barnet är, sätter gränser med värme och intresserar sig för skolan.",
    ),
    _f(
        "familj-natverk",
        "Stöttande nätverk",
        "familj",
        "skydd",
        "Släkt, vänner och grannar som kan avlasta och stötta familjen.",
    ),
    _f(
        "familj-samarbete",
        "Föräldrar som samarbetar med skola och stöd",
        "familj",
        "skydd",
        "Föräldrar som tar emot stöd och samarbetar med förskola, skola och socialtjänst.",
    ),
    # School: risk
    _f(
        "skola-franvaro",
        "Problematisk skolfrånvaro",
        "skola",
        "risk",
        "Upprepad eller långvarig frånvaro, anmäld eller inte. Ofta ett tecken på att "
        "något är fel i skolan, i familjen eller hos barnet.",
        "Utred frånvaron tidigt och involvera elevhälsan och vårdnadshavarna.",
    ),
    _f(
        "skola-misslyckanden",
        "Misslyckanden i skolarbetet",
        "skola",
        "risk",
        "Att inte nå målen, särskilt tidigt, ökar risken för psykisk ohälsa och att hamna utanför.",
    ),
    _f(
        "skola-krankningar",
        "Kränkningar och mobbning",
        "skola",
        "risk",
        "Att bli utsatt för kränkande behandling, i skolan eller på nätet.",
    ),
    _f(
        "skola-utanforskap",
        "Utanförskap i gruppen",
        "skola",
        "risk",
        "Barnet saknar kamrater i klassen och upplevs som bråkigt eller annorlunda av de andra.",
    ),
    _f(
        "skola-bristande-stod",
        "Stöd som kommer för sent",
        "skola",
        "risk",
        "Behov av anpassningar eller särskilt stöd upptäcks eller åtgärdas inte i tid.",
    ),
    # School: protective
    _f(
        "skola-lyckas",
        "Att lyckas i skolan",
        "skola",
        "skydd",
        "Goda skolresultat och känslan av att lära sig är en av de starkaste skyddsfaktorerna.",
    ),
    _f(
        "skola-relation-vuxen",
        "God relation till en lärare eller annan vuxen i skolan",
        "skola",
        "skydd",
        "En vuxen i skolan som ser barnet och som barnet kan vända sig till.",
    ),
    _f(
        "skola-trygg-miljo",
        "Trygg skolmiljö med tydligt ledarskap",
        "skola",
        "skydd",
        "Förutsägbarhet, tydliga regler och vuxna som ingriper mot kränkningar.",
    ),
    _f(
        "skola-tidigt-stod",
        "Tidiga anpassningar och fungerande elevhälsa",
        "skola",
        "skydd",
        "Stöd som sätts in tidigt och följs upp, med elevhälsan som samlad resurs.",
    ),
    # Society: risk
    _f(
        "samhalle-kamrater",
        "Kamrater med normbrytande beteende",
        "samhalle",
        "risk",
        "Umgänge med kamrater som använder droger eller begår brott.",
    ),
    _f(
        "samhalle-narmiljo",
        "Utsatt närmiljö",
        "samhalle",
        "risk",
        "Boende i ett område med hög brottslighet, otrygghet eller lätt tillgång till "
        "alkohol och narkotika.",
    ),
    _f(
        "samhalle-natet",
        "Risker på nätet",
        "samhalle",
        "risk",
        "Grooming, hot, utpressning eller rekrytering via sociala medier och spel.",
    ),
    _f(
        "samhalle-diskriminering",
        "Diskriminering och utanförskap i samhället",
        "samhalle",
        "risk",
        "Att bli behandlad sämre på grund av t.ex. ursprung, funktionsnedsättning eller "
        "kön, eller att familjen saknar kontakt med samhällets stöd.",
    ),
    # Society: protective
    _f(
        "samhalle-fritid",
        "Meningsfull fritid med vuxna ledare",
        "samhalle",
        "skydd",
        "Idrott, kultur eller föreningsliv där barnet hör till en grupp och möter goda förebilder.",
    ),
    _f(
        "samhalle-tillgangligt-stod",
        "Lättillgängligt stöd",
        "samhalle",
        "skydd",
        "Familjecentral, ungdomsmottagning och öppna verksamheter dit familjen kan "
        "vända sig utan remiss eller ansökan.",
    ),
    _f(
        "samhalle-trygg-narmiljo",
        "Trygg närmiljö",
        "samhalle",
        "skydd",
        "Ett bostadsområde där vuxna är närvarande och grannar bryr sig.",
    ),
]


# Methods ---------------------------------------------------------------------------------
METHODS: list[dict] = [
    {
        "code": "bbic",
        "name": "Barns behov i centrum",
        "abbreviation": "BBIC",
        "description": (
            "Socialstyrelsens system för hur socialtjänsten utreder, planerar och följer "
            "upp insatser för barn. Utgår från en triangel med barnets utveckling, "
            "föräldrarnas förmåga och familj och miljö, och ger gemensamma begrepp även "
            "för skola och vård som lämnar uppgifter till en utredning."
        ),
        "target_group": "Barn och unga som socialtjänsten utreder eller ger insatser.",
        "used_by": "Socialtjänsten. Skolor har nytta av att känna till modellen.",
        "contact_function": "Kontaktsocialsekreterare",
        "sources": _lines("Socialstyrelsen, BBIC – Barns behov i centrum", OSTERMALM_43),
    },
    {
        "code": "skolsocial-kartlaggning",
        "name": "Skolsocial kartläggning",
        "abbreviation": "",
        "description": (
            "Kuratorns strukturerade kartläggning av elevens sociala situation i skolan, "
            "hemmet och på fritiden, som en del av elevhälsans utredning. Har flera "
            "beröringspunkter med BBIC, vilket gör det lättare att tala samma språk med "
            "socialtjänsten."
        ),
        "target_group": "Elever med skolsvårigheter, t.ex. stor frånvaro.",
        "used_by": "Skolkuratorer inom elevhälsan.",
        "contact_function": "Kurator",
        "sources": _lines(OSTERMALM_43),
    },
    {
        "code": "komet",
        "name": "KOMET – kommunikationsmetod",
        "abbreviation": "KOMET",
        "description": (
            "Ett program för föräldrar och för lärare som vill minska konflikter och "
            "utagerande beteende hos barn. Bygger på att förstärka det positiva, ge tydliga "
            "instruktioner och undvika att konflikter trappas upp. Har tydlig målgrupp, "
            "tydlig metodik och ett gemensamt språk för skola och socialtjänst."
        ),
        "target_group": "Föräldrar och lärare till barn med utagerande beteende.",
        "used_by": "Socialtjänsten (föräldragrupper) och skolan (lärarversionen).",
        "contact_function": "Kontaktsocialsekreterare",
        "sources": _lines(OSTERMALM_43),
    },
    {
        "code": "motescirkeln",
        "name": "Mötescirkeln",
        "abbreviation": "",
        "description": (
            "En metod för att leda möten, särskilt SIP-möten, så att de blir tydliga och "
            "utgår från den enskilde. Mötet följer fasta steg – från den enskildes "
            "berättelse och mål till vem som gör vad och när det följs upp – så att alla "
            "kommer till tals och inget faller mellan stolarna."
        ),
        "target_group": "Barn, unga och familjer i en SIP, och de professionella runt dem.",
        "used_by": "Den som kallar till eller samordnar en SIP.",
        "contact_function": "Samordnare",
        "sources": _lines(GNESTA),
    },
    {
        "code": "trepartssamtal",
        "name": "Trepartssamtal",
        "abbreviation": "",
        "description": (
            "Ett möte mellan familjen, den som anmält (oftast förskolan eller skolan) och "
            "socialsekreteraren. Alla hör direkt vad de andra säger, familjen blir "
            "delaktig, och man kan komma överens om hur kontakten ska se ut framöver. "
            "Passar bra när en anmälan lämnas över och när ett ärende avslutas."
        ),
        "target_group": "Familjer där förskolan eller skolan gjort en anmälan.",
        "used_by": "Socialtjänsten tillsammans med förskola och skola.",
        "contact_function": "Kontaktsocialsekreterare",
        "sources": _lines(OSTERMALM_6),
    },
    {
        "code": "samverkanstraff",
        "name": "Samverkansträff skola–socialtjänst",
        "abbreviation": "",
        "description": (
            "Regelbundna träffar, t.ex. varje vecka, mellan skola och socialtjänst där "
            "barn diskuteras med namn bara när vårdnadshavarna samtyckt, och annars "
            "avidentifierat. Vård, Försäkringskassan och Arbetsförmedlingen kan delta."
        ),
        "target_group": "Barn och unga där skola och socialtjänst båda är engagerade.",
        "used_by": "Skola, elevhälsa och socialtjänst.",
        "contact_function": "Kontaktsocialsekreterare",
        "sources": _lines(AMAL),
    },
    {
        "code": "konsultationsgrupp",
        "name": "Skolbaserad konsultationsgrupp",
        "abbreviation": "",
        "description": (
            "En grupp med skolans personal och skolans kontaktsocialsekreterare som träffas "
            "några gånger per termin för konsultation, fallbeskrivningar och "
            "metodutveckling. Gruppen bestämmer själv syfte, mål, deltagare och vem som "
            "kallar, och utvärderar sitt arbete en gång om året."
        ),
        "target_group": "Personal i skola och socialtjänst.",
        "used_by": "Skolor och socialtjänstens familjeenhet.",
        "contact_function": "Kontaktsocialsekreterare",
        "sources": _lines(OSTERMALM),
    },
    {
        "code": "sip-mote",
        "name": "SIP-mötet",
        "abbreviation": "SIP",
        "description": (
            "Mötet där en samordnad individuell plan tas fram tillsammans med barnet och "
            "familjen. Den som först ser behovet kallar, med samtycke. Planen tar upp "
            "behov, mål, insatser, ansvar, samordnare och datum för uppföljning, och lämnas "
            "till familjen och alla deltagare."
        ),
        "target_group": "Barn som behöver insatser från flera huvudmän.",
        "used_by": "Socialtjänst, hälso- och sjukvård, skola och andra inbjudna.",
        "contact_function": "Samordnare",
        "sources": _lines(GNESTA, KUNSKAPSGUIDEN),
    },
    {
        "code": "utvardering-efter-arende",
        "name": "Utvärdering efter avslutat ärende",
        "abbreviation": "",
        "description": (
            "Några veckor efter att en utredning avslutats tar socialsekreteraren kontakt "
            "med den förskola eller skola som anmälde för att tillsammans se vad som "
            "fungerade. Stärker tilliten och gör det mer sannolikt att en ny oro anmäls."
        ),
        "target_group": "Anmälare och handläggare.",
        "used_by": "Socialtjänsten, förskola och skola.",
        "contact_function": "Kontaktsocialsekreterare",
        "sources": _lines(OSTERMALM_6),
    },
    {
        "code": "avidentifierat-fall",
        "name": "Konsultation med avidentifierade fall",
        "abbreviation": "",
        "description": (
            "Verksamheterna diskuterar avidentifierade eller påhittade fall för att förstå "
            "varandras arbete och hitta lämpliga insatser, utan sekretesshinder. Gör tidig "
            "samverkan möjlig innan det finns samtycke."
        ),
        "target_group": "Personal i alla verksamheter.",
        "used_by": "Skola, förskola och socialtjänst.",
        "contact_function": "Kontaktsocialsekreterare",
        "sources": _lines(GNESTA),
    },
]


# Checklist suggestions ("Vad kan jag göra?") ---------------------------------------------
SUGGESTIONS: list[dict] = [
    {
        "code": "kontakt-med-familjen",
        "text": "Skapa en respektfull kontakt med barnet och familjen",
        "explanation": "Se barnet och föräldrarna som medaktörer – de vet ofta mest.",
    },
    {
        "code": "kartlagg-grupper",
        "text": "Ta reda på vilka grupper av barn som mest behöver bättre samverkan",
        "explanation": "Och vad just de behöver av oss och av andra.",
    },
    {
        "code": "rutin-tidiga-insatser",
        "text": "Ta fram rutiner för tidigt stöd till barn som riskerar psykisk ohälsa",
        "explanation": "Vem gör vad när oron väcks, innan problemen har vuxit?",
    },
    {
        "code": "gemensamma-mallar",
        "text": "Undersök om vi kan använda gemensamma mallar, dokument och system",
        "explanation": "Samma information på samma ställe minskar dubbelarbete och missförstånd.",
    },
    {
        "code": "kontaktpersoner",
        "text": "Ta reda på vem som är kontaktperson i de andra verksamheterna och hör av dig",
        "explanation": "Börja med kontaktfunktionerna i katalogen.",
    },
    {
        "code": "vem-kallar",
        "text": "Kom överens om vem som kallar till samverkansmöten",
        "explanation": "Otydligt ansvar gör att möten aldrig blir av.",
    },
    {
        "code": "vilka-samverkar-vi-med",
        "text": "Ta reda på vilka verksamheter vi oftast behöver samverka med, och hur",
        "explanation": "Vilka var med tidigare, vilka är med nu, vilka kan behövas framöver?",
    },
    {
        "code": "evidensbaserat",
        "text": "Ta reda på hur vi kan arbeta mer kunskapsbaserat",
        "explanation": "Bästa tillgängliga kunskap, egen erfarenhet och familjens önskemål.",
    },
    {
        "code": "aterkoppla",
        "text": "Återkoppla till de samverkanspartner jag har kontakt med",
        "explanation": "Återkoppling bygger tillit mer än något annat.",
    },
    {
        "code": "mata-och-utvardera",
        "text": "Ta reda på hur vi kan mäta och utvärdera insatserna vi planerar",
        "explanation": "Bestäm redan från början hur ni ska veta om det hjälpte.",
    },
    {
        "code": "kunskap-om-malgruppen",
        "text": "Skaffa mig mer kunskap om målgruppen innan jag fattar beslut",
        "explanation": "T.ex. om risk- och skyddsfaktorer och om vad som hjälper.",
    },
    {
        "code": "samordnarfunktion",
        "text": "Se till att det finns en samordnare där det behövs",
        "explanation": "Någon som håller ihop och följer upp att det bestämda blir gjort.",
    },
    {
        "code": "mal-for-samverkan",
        "text": "Formulera eller förtydliga våra mål för samverkan",
        "explanation": "Mål som går att följa upp gör samverkan mindre personberoende.",
    },
    {
        "code": "samverkansavtal",
        "text": "Upprätta, uppdatera och följ upp samverkansöverenskommelser som fungerar",
        "explanation": "Vem gör vad, när och hur – och vad gör vi när vi inte är överens?",
    },
    {
        "code": "resurser-i-upphandling",
        "text": "Se till att resurser för samverkan finns med när vi upphandlar",
        "explanation": "Krav på samverkan i upphandlingsunderlag och avtal med utförare.",
    },
]
for _s in SUGGESTIONS:
    _s["sources"] = MELWIN


ENTRIES: dict[str, list[dict]] = {
    "actor": ACTORS,
    "concept": CONCEPTS,
    "factor": FACTORS,
    "method": METHODS,
    "suggestion": SUGGESTIONS,
}
