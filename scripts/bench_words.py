"""Word lists for make_bench.py: spinner synonyms, US/UK spelling, boilerplate.

Everything here is written for the benchmark; nothing is copied from a
thesaurus. The synonyms are deliberately "content farm" quality: a spun
article should read slightly off, the way spun copies do.
"""
from __future__ import annotations

# head: synonym, synonym, ...   (lower case; inflected forms listed separately)
_SYNONYMS = """
said: stated, noted, remarked, explained, commented
says: states, notes, remarks, explains, comments
say: state, claim, assert, maintain
saying: stating, claiming, noting, asserting
told: informed, advised, assured
tell: inform, advise
announced: declared, unveiled, revealed, disclosed
announce: declare, unveil, reveal
announcement: declaration, statement, disclosure
added: continued, went on, noted
asked: questioned, quizzed, queried
ask: question, query
government: administration, authorities, executive
governments: administrations, authorities
officials: authorities, representatives, functionaries
official: authorized, formal, sanctioned
people: individuals, persons, citizens, folks
country: nation, state, land
countries: nations, states
city: town, municipality, metropolis
cities: towns, municipalities
new: fresh, novel, recent
big: large, huge, major, massive
large: big, sizeable, substantial, considerable
small: little, minor, modest, tiny
huge: enormous, massive, vast, immense
important: significant, crucial, key, vital
major: key, significant, principal, leading
many: numerous, countless, plenty of
several: a number of, various, multiple
police: law enforcement, officers, cops
attack: assault, strike, raid, offensive
attacks: assaults, strikes, raids
attacked: assaulted, struck, targeted
killed: slain, murdered, left dead
kill: slay, murder
died: passed away, perished, lost their lives
death: demise, passing, loss of life
deaths: fatalities, losses of life
dead: deceased, killed, lifeless
help: assist, aid, support
helped: assisted, aided, supported
helping: assisting, aiding, supporting
support: backing, assistance, help
supported: backed, endorsed, championed
supporters: backers, followers, allies
against: versus, in opposition to, opposing
about: regarding, concerning, on the subject of
because: since, as, given that
however: nonetheless, nevertheless, still
also: additionally, likewise, as well
but: yet, though, however
after: following, subsequent to, once
before: prior to, ahead of, earlier than
during: throughout, amid, in the course of
now: currently, presently, at present
recently: lately, of late, newly
later: subsequently, afterwards, then
early: initial, premature, first
last: final, previous, latest
first: initial, earliest, opening
next: following, upcoming, subsequent
week: seven days, week-long period
month: calendar month, four weeks
make: create, produce, generate
made: created, produced, generated
making: creating, producing, generating
take: grab, seize, accept
took: grabbed, seized, accepted
taken: grabbed, seized, accepted
give: provide, grant, hand
gave: provided, granted, handed
given: provided, granted, handed
get: obtain, receive, acquire
got: obtained, received, acquired
use: utilize, employ, apply
used: utilized, employed, applied
using: utilizing, employing, applying
show: demonstrate, reveal, display
showed: demonstrated, revealed, displayed
shows: demonstrates, reveals, displays
find: discover, locate, uncover
found: discovered, located, uncovered
think: believe, reckon, consider
thought: believed, reckoned, considered
believe: think, feel, trust
believed: thought, felt, trusted
want: wish, desire, seek
wanted: wished, desired, sought
need: require, demand, call for
needed: required, demanded, called for
needs: requires, demands, calls for
try: attempt, endeavour, seek
tried: attempted, sought, endeavoured
start: begin, commence, launch
started: began, commenced, launched
begin: start, commence, launch
began: started, commenced, launched
end: finish, conclusion, close
ended: finished, concluded, closed
continue: carry on, proceed, persist
continued: carried on, proceeded, persisted
keep: retain, maintain, hold
kept: retained, maintained, held
hold: maintain, keep, retain
held: maintained, kept, retained
meet: gather, convene, encounter
met: gathered with, convened with, encountered
meeting: gathering, session, summit
lead: head, guide, direct
led: headed, guided, directed
leader: chief, head, boss
leaders: chiefs, heads, bosses
leading: top, foremost, principal
run: operate, manage, run
ran: operated, managed, ran
win: triumph, victory, success
won: secured, claimed, earned
lose: forfeit, drop, miss
lost: forfeited, dropped, missed
move: step, shift, action
moved: shifted, relocated, transferred
call: appeal, demand, request
called: dubbed, termed, labelled
calls: appeals, demands, requests
change: shift, alteration, modification
changes: shifts, alterations, modifications
changed: altered, modified, shifted
increase: rise, boost, surge
increased: rose, grew, surged
decrease: decline, drop, reduction
rise: increase, climb, growth
rose: climbed, increased, grew
fell: dropped, declined, slipped
fall: drop, decline, slide
cut: reduce, slash, trim
cuts: reductions, reductions, trims
plan: scheme, proposal, strategy
plans: schemes, proposals, strategies
planned: intended, scheduled, proposed
decision: ruling, verdict, choice
decided: determined, resolved, opted
issue: matter, problem, question
issues: matters, problems, questions
problem: difficulty, issue, trouble
problems: difficulties, issues, troubles
crisis: emergency, predicament, calamity
report: account, study, document
reported: stated, disclosed, revealed
reports: accounts, studies, documents
according: as indicated, as reported
expected: anticipated, predicted, forecast
expect: anticipate, predict, foresee
likely: probable, expected, set
possible: feasible, potential, conceivable
clear: obvious, evident, apparent
clearly: obviously, evidently, plainly
public: general public, community, populace
political: governmental, partisan, policy
economic: financial, fiscal, monetary
economy: financial system, market, economic system
business: commerce, enterprise, trade
businesses: companies, firms, enterprises
company: firm, business, corporation
companies: firms, businesses, corporations
market: marketplace, exchange, sector
markets: marketplaces, exchanges, sectors
money: funds, cash, capital
pay: compensate, remunerate, settle
paid: compensated, settled, remunerated
cost: price, expense, charge
costs: expenses, charges, outlays
price: cost, rate, value
prices: costs, rates, values
job: position, role, post
jobs: positions, roles, posts
work: labour, effort, employment
worked: laboured, toiled, served
workers: employees, staff, labourers
law: legislation, statute, rule
laws: legislation, statutes, rules
court: tribunal, bench, judiciary
judge: justice, magistrate, adjudicator
case: matter, lawsuit, instance
charged: accused, indicted, prosecuted
charges: accusations, counts, allegations
accused: charged, alleged, indicted
arrested: detained, apprehended, held
prison: jail, penitentiary, lock-up
security: safety, protection, defence
forces: troops, units, soldiers
troops: soldiers, forces, servicemen
military: armed forces, army, defence forces
war: conflict, warfare, hostilities
fighting: combat, clashes, battles
fight: battle, struggle, combat
peace: harmony, calm, truce
talks: negotiations, discussions, dialogue
deal: agreement, pact, accord
agreement: deal, pact, accord
election: vote, poll, ballot
elections: votes, polls, ballots
vote: ballot, poll, election
voters: electorate, constituents, the public
campaign: drive, crusade, push
party: faction, group, organisation
minister: secretary, cabinet member, official
ministry: department, office, agency
state: nation, country, province
states: nations, countries, provinces
region: area, zone, district
area: region, zone, district
areas: regions, zones, districts
local: regional, neighbourhood, community
national: countrywide, nationwide, federal
international: global, worldwide, multinational
foreign: overseas, international, external
world: globe, planet, international community
global: worldwide, international, universal
home: house, residence, dwelling
homes: houses, residences, dwellings
family: household, relatives, kin
families: households, relatives, clans
children: kids, youngsters, young ones
child: kid, youngster, youth
women: females, ladies
men: males, gentlemen
man: male, gentleman, individual
woman: female, lady, individual
group: organisation, band, collective
groups: organisations, bands, collectives
members: participants, associates, affiliates
member: participant, associate, affiliate
school: academy, institution, college
schools: academies, institutions, colleges
students: pupils, learners, scholars
health: wellbeing, welfare, fitness
hospital: clinic, medical centre, infirmary
doctors: physicians, medics, clinicians
water: H2O, water supply
food: nourishment, groceries, provisions
fire: blaze, inferno, flames
fires: blazes, infernos, flames
storm: tempest, gale, squall
weather: climate conditions, forecast, conditions
rain: rainfall, downpour, showers
damage: harm, destruction, devastation
damaged: harmed, wrecked, impaired
destroyed: demolished, wrecked, ruined
building: structure, edifice, premises
buildings: structures, edifices, premises
road: street, route, highway
car: vehicle, automobile, motor
cars: vehicles, automobiles, motors
plane: aircraft, airliner, jet
train: railway service, locomotive
travel: journey, trip, voyage
trip: journey, visit, excursion
visit: trip, tour, stay
visited: toured, stopped by, called at
president's: leader's, head of state's
statement: declaration, announcement, remarks
comments: remarks, observations, statements
spokesman: representative, mouthpiece, press officer
spokeswoman: representative, press officer, mouthpiece
spokesperson: representative, press officer, mouthpiece
news: reports, headlines, information
media: press, news outlets, journalists
newspaper: paper, daily, publication
information: details, data, intelligence
evidence: proof, indication, signs
investigation: inquiry, probe, examination
inquiry: investigation, probe, review
allegations: claims, accusations, charges
claims: assertions, allegations, contentions
claimed: asserted, alleged, contended
denied: rejected, refuted, dismissed
warned: cautioned, alerted, advised
warning: caution, alert, notice
threat: danger, menace, risk
threats: dangers, menaces, risks
risk: danger, hazard, peril
risks: dangers, hazards, perils
concerns: worries, fears, anxieties
concern: worry, fear, anxiety
fears: worries, concerns, anxieties
hope: wish, expectation, aspiration
hopes: wishes, expectations, aspirations
chance: opportunity, possibility, prospect
power: authority, control, influence
control: command, authority, power
policy: strategy, approach, guideline
policies: strategies, approaches, guidelines
program: scheme, initiative, project
project: scheme, venture, undertaking
service: provision, facility, operation
services: provisions, facilities, operations
system: framework, structure, network
result: outcome, consequence, upshot
results: outcomes, findings, consequences
effect: impact, influence, consequence
impact: effect, influence, bearing
reason: cause, rationale, grounds
level: degree, extent, standard
levels: degrees, standards, amounts
number: figure, quantity, total
rate: level, pace, ratio
growth: expansion, increase, development
development: growth, progress, advancement
research: study, analysis, investigation
study: research, analysis, survey
experts: specialists, authorities, analysts
scientists: researchers, experts, academics
analysts: observers, commentators, experts
data: figures, statistics, information
figures: statistics, numbers, data
percent: per cent, percentage points
nearly: almost, close to, roughly
about: around, approximately, roughly
around: about, approximately, roughly
more: additional, extra, further
less: fewer, reduced, smaller
most: the majority of, nearly all, the bulk of
only: just, merely, solely
very: extremely, highly, really
really: truly, genuinely, actually
still: yet, even now, nonetheless
already: previously, by now, before now
again: once more, anew, yet again
often: frequently, regularly, commonly
quickly: rapidly, swiftly, fast
immediately: instantly, at once, straight away
strong: powerful, robust, solid
difficult: hard, tough, challenging
hard: difficult, tough, demanding
easy: simple, effortless, straightforward
good: great, fine, positive
bad: poor, terrible, negative
best: finest, greatest, top
worst: poorest, most terrible, lowest
high: elevated, lofty, steep
low: reduced, modest, minimal
long: lengthy, extended, prolonged
short: brief, limited, concise
old: aged, former, elderly
young: youthful, junior, juvenile
former: previous, ex, one-time
current: present, existing, ongoing
recent: latest, new, fresh
final: last, closing, concluding
full: complete, entire, total
whole: entire, complete, full
different: various, distinct, diverse
similar: comparable, alike, akin
same: identical, equivalent, very same
free: complimentary, unrestricted, at no cost
open: accessible, available, unlocked
close: near, nearby, tight
key: crucial, vital, essential
main: primary, chief, principal
top: leading, senior, highest
senior: high-ranking, top, veteran
serious: grave, severe, critical
significant: substantial, notable, major
special: particular, unique, exceptional
available: accessible, obtainable, on hand
able: capable, competent, in a position
sure: certain, confident, positive
ready: prepared, set, willing
popular: widespread, well-liked, favoured
famous: renowned, celebrated, well-known
known: recognised, famed, familiar
united: joint, combined, unified
likely: probable, apt, liable
reached: attained, achieved, arrived at
reach: attain, achieve, arrive at
remain: stay, continue, persist
remained: stayed, continued, persisted
return: comeback, homecoming, restoration
returned: came back, went back, came home
received: got, obtained, gained
receive: get, obtain, gain
allowed: permitted, enabled, let
allow: permit, enable, let
stop: halt, end, cease
stopped: halted, ended, ceased
prevent: avoid, stop, avert
protect: defend, guard, shield
protest: demonstration, rally, march
protests: demonstrations, rallies, marches
protesters: demonstrators, activists, marchers
crowd: throng, mass, gathering
event: occasion, function, affair
events: occasions, functions, affairs
building's: structure's, edifice's
suggested: proposed, indicated, implied
added: included, mentioned, noted
described: portrayed, depicted, characterised
explained: clarified, outlined, elaborated
confirmed: verified, affirmed, validated
revealed: disclosed, exposed, uncovered
agreed: consented, settled, concurred
refused: declined, rejected, turned down
faced: confronted, encountered, met
face: confront, encounter, meet
opened: launched, inaugurated, unveiled
closed: shut, sealed, ended
involved: implicated, engaged, included
including: among them, such as, counting
include: involve, encompass, comprise
includes: involves, encompasses, comprises
provide: supply, offer, deliver
provided: supplied, offered, delivered
create: build, form, establish
created: built, formed, established
build: construct, erect, develop
built: constructed, erected, developed
based: founded, grounded, headquartered
known: recognised, acknowledged, noted
killed: slaughtered, slain, murdered
injured: wounded, hurt, harmed
wounded: injured, hurt, harmed
victims: casualties, sufferers, targets
survivors: escapees, those who survived
residents: inhabitants, locals, citizens
citizens: nationals, residents, people
community: neighbourhood, society, population
population: people, populace, inhabitants
thousands: countless numbers, many thousands
hundreds: scores, many hundreds
millions: countless millions, many millions
billion: thousand million
immediately: promptly, instantly, right away
despite: in spite of, notwithstanding, regardless of
although: though, even though, while
while: whereas, although, as
today: this day, nowadays, at present
yesterday: the day before, on the previous day
tomorrow: the following day, the next day
recent: new, latest, current
week's: seven days', week-long
weekend: end of the week, weekend break
morning: a.m. hours, early hours, forenoon
night: evening, night-time, overnight
time: period, moment, occasion
way: manner, method, approach
part: portion, section, share
administration: government, leadership, regime
going: heading, proceeding
order: directive, decree, command
see: observe, notice, witness
life: existence, lifetime
come: arrive, emerge
know: understand, realise
whether: if
trade: commerce, trading
rights: entitlements, freedoms
care: attention, treatment
authorities: officials, administrators
tax: levy, duty
across: throughout, over
bill: legislation, measure, draft law
far: distant, remote
place: location, site, spot
oil: crude, petroleum
working: labouring, operating
must: need to, have to
legal: lawful, judicial, legitimate
ban: prohibition, embargo
put: place, set
every: each
without: lacking, minus
office: bureau, department
federal: national, central
executive: administrative, managerial
process: procedure, method
among: amongst, amid
past: previous, former
situation: circumstances, state of affairs, position
director: manager, head, chief
came: arrived, emerged
become: turn into, grow into
seen: observed, witnessed, noticed
border: frontier, boundary
things: matters, items
earlier: previously, before, sooner
great: excellent, tremendous, huge
taking: grabbing, seizing
agency: bureau, body, organisation
chief: head, leader, boss
never: not ever, at no time
intelligence: espionage, information
press: media, journalists
team: squad, group, crew
force: power, might
role: part, function, position
industry: sector, trade, business
real: actual, genuine, true
general: broad, overall
point: moment, stage, juncture
together: jointly, collectively
enough: sufficient, adequate
almost: nearly, practically
better: improved, superior
coming: arriving, approaching
ago: back, earlier
trying: attempting, seeking
leave: depart, exit
social: societal, communal
little: small, tiny
side: party, faction
efforts: attempts, endeavours, bids
land: territory, ground
financial: monetary, fiscal, economic
interview: conversation, discussion
drugs: narcotics, substances
position: post, stance
relationship: association, bond, connection
relations: ties, links, dealings
person: individual, human being
thing: item, matter
biggest: largest, greatest
action: activity, step, measure
always: constantly, forever, invariably
question: query, issue
ahead: forward, in advance
released: published, issued, freed
energy: power, vigour
late: belated, delayed
done: completed, finished
went: headed, travelled
crime: offence, wrongdoing
brought: carried, delivered
largest: biggest, greatest
living: residing, dwelling
investment: funding, capital spending
house: home, residence
kind: type, sort
reporters: journalists, correspondents
growing: rising, expanding, increasing
wrote: penned, authored
wants: wishes, desires, seeks
feel: sense, believe
looking: searching, seeking
fact: reality, truth
within: inside, in
forward: ahead, onward
annual: yearly
opposition: resistance, hostility
sent: dispatched, delivered
leadership: management, direction
staff: employees, workers, personnel
influence: sway, impact
soon: shortly, before long
alleged: supposed, claimed, purported
cases: instances, matters
conference: meeting, summit, convention
story: tale, account, narrative
total: overall, entire
bring: carry, deliver
matter: issue, affair
weapons: arms, munitions
potential: possible, prospective
example: instance, case
getting: obtaining, receiving
demand: call, requirement
questions: queries, issues
majority: bulk, most
speech: address, talk
production: output, manufacturing
pressure: stress, strain
conditions: circumstances, terms
private: personal, confidential
illegal: unlawful, illicit
currently: presently, now
particularly: especially, notably
especially: particularly, notably
operation: procedure, mission
signed: inked, endorsed
violence: bloodshed, brutality
negotiations: talks, discussions
published: issued, released
safety: security, protection
patients: sufferers, cases
committee: panel, board
focus: emphasis, attention
protection: safety, defence
letter: message, note
issued: released, published
seeking: looking for, pursuing
near: close to, beside
amid: amongst, during
technology: tech, technical know-how
approach: method, strategy
measures: steps, actions
legislation: laws, rules
conflict: clash, dispute
period: stretch, spell
emergency: crisis, urgent situation
happened: occurred, took place
step: move, measure
average: typical, normal, mean
"""

SYNONYMS: dict[str, list[str]] = {}
for _line in _SYNONYMS.strip().splitlines():
    _head, _, _rest = _line.partition(":")
    _syns = [s.strip() for s in _rest.split(",") if s.strip() and s.strip() != _head.strip()]
    if _syns:
        SYNONYMS.setdefault(_head.strip(), [])
        for _s in _syns:
            if _s not in SYNONYMS[_head.strip()]:
                SYNONYMS[_head.strip()].append(_s)

# US spelling -> UK spelling (applied both ways by the copy editor)
_SPELLING = """
color colour|colors colours|favor favour|favorite favourite|honor honour|honored honoured
labor labour|neighbor neighbour|neighbors neighbours|neighboring neighbouring|behavior behaviour
humor humour|rumor rumour|rumors rumours|harbor harbour|armor armour|vapor vapour
center centre|centers centres|centered centred|theater theatre|meter metre|meters metres
liter litre|fiber fibre|defense defence|offense offence|license licence|gray grey
organize organise|organized organised|organization organisation|organizations organisations
recognize recognise|recognized recognised|realize realise|realized realised|apologize apologise
apologized apologised|criticize criticise|criticized criticised|emphasize emphasise
emphasized emphasised|analyze analyse|analyzed analysed|authorize authorise|authorized authorised
mobilize mobilise|privatization privatisation|civilization civilisation|prioritize prioritise
stabilize stabilise|minimize minimise|summarize summarise|characterize characterise
characterized characterised|traveled travelled|traveling travelling|traveler traveller
canceled cancelled|labeled labelled|fueled fuelled|modeling modelling|counselor counsellor
jewelry jewellery|catalog catalogue|dialog dialogue|aging ageing|fulfill fulfil|enrollment enrolment
skeptical sceptical|mold mould|plow plough|judgment judgement|program programme|programs programmes
percent per cent|toward towards|afterward afterwards|practiced practised|pajamas pyjamas
"""
US_TO_UK: dict[str, str] = {}
for _pair in _SPELLING.replace("\n", "|").split("|"):
    _pair = _pair.strip()
    if _pair:
        _us, _uk = _pair.split(" ", 1)
        US_TO_UK[_us] = _uk
UK_TO_US = {v: k for k, v in US_TO_UK.items()}

STOPWORDS = set("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves also said says mr mrs ms
""".split())

# ---------------------------------------------------------------- boilerplate
# Each template is a list of lines; {slots} are filled per document with a
# few values, so the same text recurs in many unrelated documents.
SITES = ["The Daily Ledger", "Metro Wire", "Northern Courier", "Evening Post Online",
         "World Desk", "Coastal Times", "The Morning Dispatch", "Capital Chronicle"]
SECTIONS = ["World", "Politics", "Business", "Sport", "Europe", "Asia", "Americas", "Health",
            "Science", "Entertainment", "Opinion", "Local"]
FAKE_HEADLINES = [
    "Markets end the week higher as investors weigh the rate outlook",
    "Council approves new budget after lengthy debate",
    "Storm warning issued for coastal areas this weekend",
    "Five things to watch in the week ahead",
    "Opinion: Why the housing debate needs fresh ideas",
    "Police appeal for witnesses after overnight collision",
    "Ten photos that defined the month",
    "Travel chaos expected as strike enters second day",
    "Tech giants face new scrutiny over data practices",
    "How to keep your energy bills down this winter",
    "Fans celebrate as home side clinches dramatic win",
    "Scientists unveil surprising findings on sleep",
    "Quiz: How well did you follow the news this week?",
    "Live updates: The latest on the election count",
    "Explainer: What the new rules mean for you",
    "Interview: Life after a decade in public office",
    "Petrol prices rise for third consecutive week",
    "School holiday dates confirmed for next year",
]
HEADERS = [
    ["Skip to main content"],
    ["Advertisement"],
    ["Home / {section} / News"],
    ["We use cookies to improve your experience on our site and to show you relevant advertising. "
     "By continuing to browse the site you are agreeing to our use of cookies. "
     "Find out more in our Cookie Policy.", "Accept all cookies"],
    ["Listen to this article \u00b7 {m} min"],
    ["Share on Facebook Share on Twitter Share on WhatsApp Email this article Print"],
    ["Updated {date} \u00b7 {n} comments"],
    ["This story is free to read. Sign in or create an account to save articles for later."],
    ["BREAKING NEWS ALERTS: Get the latest headlines delivered straight to your inbox."],
    ["Our journalism depends on readers like you. Support independent reporting today."],
    ["Image caption: Handout picture released to the media | File photo"],
    ["{section} \u2022 {m} min read"],
]
FOOTERS = [
    ["Read more:", "{h1}", "{h2}"],
    ["Subscribe to our newsletter to receive the day's top stories every morning. "
     "You can unsubscribe at any time. By subscribing you agree to our Terms of Service "
     "and Privacy Policy."],
    ["Leave a Reply", "Your email address will not be published. Required fields are marked *",
     "Comment *", "Name *", "Email *",
     "Save my name, email, and website in this browser for the next time I comment.",
     "Post Comment"],
    ["\u00a9 {year} {site}. All rights reserved. This material may not be published, "
     "broadcast, rewritten or redistributed."],
    ["Have a news tip? Get in touch with our newsroom, confidentially if you prefer."],
    ["Follow us on Facebook, Twitter and Instagram for the latest updates."],
    ["Share this article: Facebook Twitter LinkedIn Reddit Email"],
    ["Sign up for our daily briefing: the stories you need to know, delivered every weekday "
     "morning."],
    ["Comments are closed for this article."],
    ["This article has been updated to reflect new information. An earlier version "
     "misstated a detail."],
    ["Topics: {section}, {section2}, Top stories"],
    ["More from {site}: Latest news | Opinion | Business | Sport | Culture | Weather"],
    ["Disclaimer: The views expressed in this article are those of the author and do not "
     "necessarily reflect the official position of this publication."],
    ["Advertisement - Continue Reading Below"],
    ["Related articles", "{h1}", "{h2}", "{h3}"],
    ["You might also like:", "{h1}", "{h2}"],
    ["Report a correction or typo"],
    ["Got a story? Email our news desk or message us on social media."],
    ["Terms of Use | Privacy Policy | Cookie Settings | Accessibility | Contact Us | About Us"],
    ["Download our app for breaking news alerts and live coverage wherever you are."],
]

DATELINE_CITIES = ["WASHINGTON", "LONDON", "PARIS", "BERLIN", "MOSCOW", "BEIJING", "SYDNEY",
                   "NEW YORK", "BRUSSELS", "TOKYO", "NEW DELHI", "CAIRO", "JOHANNESBURG",
                   "DUBLIN", "MELBOURNE", "GENEVA", "ISTANBUL", "NAIROBI", "MEXICO CITY",
                   "SEOUL", "ROME", "MADRID", "OTTAWA", "CANBERRA"]
AGENCIES = ["Reuters", "AP", "AFP", "dpa", "AAP", "Bloomberg", "UPI", "PA"]
BYLINES = ["By Staff Writer | {date}", "By {agency} | Published {date}",
           "By News Desk, {date}", "From staff and wire reports", "By Our Correspondent",
           "By Wire Staff \u2014 {date}", "Staff and agencies | {date}"]
HEADLINE_PREFIXES = ["UPDATE 1-", "UPDATE 2-", "EXCLUSIVE: ", "WATCH: ", "Breaking: ",
                     "Analysis: ", "VIDEO: ", "LIVE: "]
HEADLINE_SUFFIXES = [" - Reuters", " | World News", " (UPDATED)", " \u2014 report",
                     " | {site}", " - latest", " | {section}"]
TRUNC_MARKERS_INLINE = [" (continued\u2026)", "\u2026", " [\u2026]", " ..."]
TRUNC_MARKERS_LINE = ["Read more", "(continued\u2026)", "Continue reading\u2026",
                      "Click here to read the full story.", "Read the full article on our website."]
DIGEST_TITLES = ["Morning briefing: the stories you need to know", "Your {weekday} news roundup",
                 "Today's top stories \u2014 {date}", "Evening digest: what happened today",
                 "The week in review", "News in brief"]
