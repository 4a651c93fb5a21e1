"""How visitors say things: a grammar of questions and corrections built from parts, with a held-out split.

A visitor asks "who runs our shop", "WHO DOES THE BOOKS?" or "hello! who's doing the accounts?", and
corrects with "No! Kezra does the books.", "it's kezra who bakes the bread" or "wrong, it's Kezra.".
Every such sentence here is put together from parts: an opener, a frame, a verb, a determiner, a noun,
and noise (case, punctuation, spaces, a one-letter typo in a job word). Each list of parts is split in
two: `train` parts are all the training corpus ever uses; `held` parts never appear in it, and the
evaluation measures the model on sentences that use at least one of them (`split="held"`). So a
figure on held-out phrasing is a figure on sentences the model never saw, made by the same grammar.

The model's own replies have one fixed form ("the books: Kezra.", "ok, the books: Kezra."), so a
name is always written right after the job it belongs to. Names are copied as the visitor typed them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

PHRASE_SPLITS = ("train", "held")


@dataclass(frozen=True)
class Parts:
    """One slot of the grammar: the parts training uses, and those kept for the evaluation alone."""

    train: tuple
    held: tuple

    def pick(self, rng: random.Random, split: str):
        return rng.choice(self.train if split == "train" else self.held if split == "held" else self.train + self.held)


@dataclass(frozen=True)
class Verb:
    s: str  # "does"
    ing: str  # "doing"
    pp: str  # "done"
    base: str  # "do"


@dataclass(frozen=True)
class Noun:
    text: str
    plural: bool = False

    @property
    def be(self) -> str:
        return "are" if self.plural else "is"

    @property
    def pron(self) -> str:
        return "them" if self.plural else "it"


def _v(s: str, ing: str, pp: str, base: str) -> Verb:
    return Verb(s, ing, pp, base)


# Verbs any job takes ("who handles the van?"), then each job's own nouns and verbs. Nouns are world
# knowledge (the store is the shop) and all are trained; verbs are phrasing and some are held out.
GENERIC_VERBS = Parts(
    train=(_v("handles", "handling", "handled", "handle"), _v("takes care of", "taking care of", "taken care of", "take care of"),
           _v("looks after", "looking after", "looked after", "look after")),
    held=(_v("sees to", "seeing to", "seen to", "see to"), _v("manages", "managing", "managed", "manage")),
)
JOB_NOUNS: dict[str, tuple[Noun, ...]] = {
    "books": (Noun("books", True), Noun("accounts", True)),
    "shop": (Noun("shop"), Noun("store")),
    "bread": (Noun("bread"), Noun("baking")),
    "mail": (Noun("mail"), Noun("post"), Noun("letters", True)),
    "boat": (Noun("boat"),),
    "garden": (Noun("garden"),),
    "van": (Noun("van"),),
    "class": (Noun("class"), Noun("lessons", True)),
}
# The person by their job ("who is the baker?"), world knowledge as well: all trained.
JOB_ROLES: dict[str, tuple[str, ...]] = {
    "books": ("bookkeeper", "accountant"), "shop": ("shopkeeper",), "bread": ("baker",),
    "mail": ("postman", "mail carrier"), "boat": ("boat mechanic", "mechanic"), "garden": ("gardener",),
    "van": ("driver", "van driver"), "class": ("teacher",),
}
JOB_VERBS: dict[str, Parts] = {
    "books": Parts((_v("does", "doing", "done", "do"), _v("keeps", "keeping", "kept", "keep")),
                   (_v("balances", "balancing", "balanced", "balance"),)),
    "shop": Parts((_v("runs", "running", "run", "run"), _v("minds", "minding", "minded", "mind")),
                  (_v("keeps", "keeping", "kept", "keep"),)),
    "bread": Parts((_v("bakes", "baking", "baked", "bake"), _v("makes", "making", "made", "make")),
                   (_v("kneads", "kneading", "kneaded", "knead"),)),
    "mail": Parts((_v("brings", "bringing", "brought", "bring"), _v("delivers", "delivering", "delivered", "deliver")),
                  (_v("carries", "carrying", "carried", "carry"),)),
    "boat": Parts((_v("fixes", "fixing", "fixed", "fix"), _v("repairs", "repairing", "repaired", "repair")),
                  (_v("mends", "mending", "mended", "mend"),)),
    "garden": Parts((_v("keeps", "keeping", "kept", "keep"), _v("tends", "tending", "tended", "tend")),
                    (_v("waters", "watering", "watered", "water"),)),
    "van": Parts((_v("drives", "driving", "driven", "drive"),), (_v("parks", "parking", "parked", "park"),)),
    "class": Parts((_v("teaches", "teaching", "taught", "teach"), _v("gives", "giving", "given", "give")),
                   (_v("leads", "leading", "led", "lead"),)),
}
DETERMINERS = Parts(("the", "the", "the", "the", "our", "our", "your", "my", "that", "their", "his", "her"), ("this",))
# Said between the determiner and the noun, now and then ("our little shop"): a job is found by its noun.
ADJECTIVES = Parts(("old", "new", "little", "big", "small", "local", "main", "busy", "village", "corner", "family",
                    "red", "blue", "nice", "usual", "only", "best", "good", "shared", "daily"),
                   ("whole", "green", "lovely", "tiny"))

# Words a visitor puts round what they mean. Openers and closers made of them ("{w},") teach that a word
# the model does not know is not a name for that alone: a name is where a name goes.
FILLER_WORDS = tuple("""
ah aha hmm er well gosh golly wow whoa hey yo whoops yikes ouch ugh meh huh phew alas bah eh hooray yay
yeah yep yup okay alright sure fine great good nice cool super perfect excellent indeed really seriously
honestly frankly basically anyway anyhow besides still though however listen look see say so now then
please thanks cheers hello hi greetings pardon sorry darn dang shoot jeez geez blimey crikey hiya ahoy
friend buddy mate pal dude bot robot computer sir madam folks everyone guys attention fact news update
reminder psst ahem ha haha lol hehe sadly luckily surely clearly obviously apparently actually certainly
definitely probably maybe perhaps listen hello quickly anyways also correction answer hint tip honey dear
sweetie boss chief captain doc kid fellow machine assistant brain genius silly goodness lord ok yes no nope
""".split())
# {v} {ving} {vpp} {vbase}: the verb; {job}: determiner and noun; {be}: is or are; {pron}: it or them.
QUESTIONS = Parts(
    train=("who {v} {job}?", "who is {ving} {job}?", "who's {ving} {job}?", "tell me who {v} {job}.",
           "do you know who {v} {job}?", "who {v} {job} here?", "which person {v} {job}?",
           "who is in charge of {job}?", "whose job is {job}?", "{job}: who?", "and {job}?",
           "who {v} {job} now?", "so who {v} {job}?", "who is it that {v} {job}?", "who {v} {job}",
           "who {v} {job} today?", "who {v} {job} at the moment?", "who is the one who {v} {job}?",
           "please tell me who {v} {job}.", "i need to know who {v} {job}.", "who will {vbase} {job}?",
           "who can {vbase} {job}?", "who {v} {job} for us?", "who exactly {v} {job}?", "remind me who {v} {job}.",
           "who was it that {v} {job}?", "do you know who is {ving} {job}?", "who {v} {job} then?",
           "tell me, who {v} {job}?", "who is doing {job}?", "i wonder who {v} {job}.", "who is {role}?",
           "who's {role}?", "who is {role} here?", "tell me who {role} is.", "do you know who {role} is?"),
    held=("can you tell me who {v} {job}?", "who {v} {job} around here?", "i want to know who {v} {job}.",
          "any idea who {v} {job}?", "what about {job}?", "{job}? who {v} {pron}?",
          "who is responsible for {job}?", "who's in charge of {job}?", "who works as {role}?"),
)
QUESTION_OPENERS = Parts(
    train=("hi,", "hi!", "hello!", "hey,", "hey!", "ok,", "okay,", "ok so", "so", "so,", "and", "please,",
           "excuse me,", "quick question:", "well,", "hmm,", "tell me,", "one more:", "good morning!", "thanks!",
           "thank you!", "alright,", "now,", "next:", "also,", "by the way,", "then", "yes,", "great!", "cool,",
           "let me ask:", "hi bot,", "dear bot,", "ok then,", "hello again!", "uh,", "and now,", "another one:",
           "{w},", "{w}!", "{w}, {w2},", "{w}.", "{w} {w2},"),
    held=("hello there!", "hey there,", "hi again!", "question:", "right,", "oh,", "um,", "good afternoon!"),
)
CORRECTION_OPENERS = Parts(
    train=("no,", "no!", "no.", "nope,", "nope!", "wrong.", "wrong,", "wrong!", "actually,", "actually",
           "sorry, but", "sorry,", "not quite:", "that's wrong.", "that is not right.", "that's not right,",
           "you are wrong,", "no no,", "hmm, no.", "well,", "in fact,", "fyi,", "hey,", "listen,", "um, no,",
           "hello!", "ok so", "please note:", "false.", "not so:", "mistake:", "no, no.", "correction:",
           "you got it wrong.", "that is wrong,", "not really,", "uh no,", "i'm sorry, but", "err,",
           "hmm, actually", "no, sorry,", "excuse me, but", "no way,", "haha no,", "ugh, no.", "i think",
           "i'm sure", "look,", "so,", "ok,", "by the way,", "hi,", "now,", "{w},", "{w}!", "{w}, {w2},", "{w}.",
           "{w} {w2},", "no, {w},", "{w}, no,"),
    held=("nah,", "incorrect.", "not true,", "oops, no.", "uh, actually,", "you're mistaken,", "wait,",
          "careful,", "that's not it.", "oh no,"),
)
# Said after the sentence, before its last mark ("Kezra does the books, thanks.").
CLOSERS = Parts(train=(", please", " please", ", thanks", " thanks", ", ok", " now", " for sure", ", {w}", " {w}",
                       " then", ", {w} {w2}", " again", " today"),
                held=(" i guess", ", right", " by now", ", my friend"))
# {name}: the new person; {old}: the person the model said.
CORRECTIONS = Parts(
    train=("{name} {v} {job}.", "it's {name} who {v} {job}.", "it is {name} who {v} {job}.",
           "{job} {be} {vpp} by {name}.", "{name} {v} {job}, not {old}.", "{name}, not {old}, {v} {job}.",
           "not {old}: {name} {v} {job}.", "{job}: {name}.", "{name} {v} {job} now.",
           "{name} is the one who {v} {job}.", "{name} is in charge of {job}.", "{job} {be} {name}'s job.",
           "{name} {v} {job} nowadays.", "{old} doesn't {vbase} {job} anymore, {name} does.",
           "{name} {v} {job} since monday.", "{job}? {name} {v} {pron}.", "{name} now {v} {job}.",
           "{job} {be} {vpp} by {name} now.", "it's {name} now who {v} {job}.", "{name} took over {job}.",
           "{name} {v} {job} today.", "for {job}, it's {name}.", "{name} {v} {job}!", "{name} does {job}.",
           "{job} {be} {vpp} by {name}, not {old}.", "{name} is {ving} {job}.", "{name} is {role}.",
           "{role} is {name}.", "{name} is {role} now.", "{role} is {name}, not {old}.",
           "{name} will {vbase} {job} now.", "{name} can {vbase} {job}.", "let {name} {vbase} {job}.",
           "{old} can't {vbase} {job}, {name} does.", "it's {name} who will {vbase} {job}.",
           "ask {name}, {name} {v} {job}.", "{old} used to {vbase} {job}, now {name} does."),
    held=("{old} doesn't {vbase} {job}, {name} does.", "{job}? that's {name}.", "{name} {v} {job} these days.",
          "the person who {v} {job} is {name}.", "it's {name}, not {old}, who {v} {job}.",
          "{job}, that's {name}'s job.", "{name} works as {role}."),
)
# After the model named someone for a job: the job is the one just talked about.
SHORT_CORRECTIONS = Parts(
    train=("no, it's {name}.", "wrong, it's {name}.", "it's {name}.", "no, {name} does.", "not {old}, {name}.",
           "no: {name}.", "nope, {name}.", "no, {name}!", "no, it is {name}.", "it's {name} now.",
           "{name} does now.", "no, {name} does that.", "it's {name}, not {old}.", "no! {name}.",
           "not {old} but {name}.", "{name}, actually.", "it's {name}, i think.", "no, it's {name} now.",
           "{name} does that.", "the right one is {name}.", "i think it's {name}.", "you mean {name}.",
           "surely it's {name}.", "no, the answer is {name}.", "it should be {name}.", "must be {name}, not {old}.",
           "no, ask {name}.", "no, {name} is the one.", "{old}? no, {name}.", "not {old}. {name}!"),
    held=("wrong, {name}.", "actually it is {name}.", "{name}, not {old}.", "that's {name}.",
          "it's {name} actually.", "no, {name} does it."),
)
# A correction in two turns: "no." (the model asks back), then the name.
DENIALS = Parts(train=("no.", "wrong.", "nope.", "that's wrong.", "not {old}.", "no!", "no, that's wrong.",
                       "not right.", "wrong!", "nope!", "that is wrong.", "false.", "no, not {old}."),
                held=("incorrect.", "no way.", "that's not right."))
NAMINGS = Parts(train=("{name}.", "it's {name}.", "{name} does.", "{name} {v} {job}.", "it's {name}!",
                       "{name} does it now.", "it is {name} now.", "{name}, of course.", "{name} now.",
                       "i think it's {name}.", "well, {name}.", "the answer is {name}.", "it should be {name}.",
                       "must be {name}.", "probably {name}.", "{name}, i believe.", "try {name}.", "it was {name}.",
                       "ask {name}.", "{name} is the one."),
                held=("it is {name}.", "{name} does it.", "that would be {name}."))
# Both jobs in one message: {a}/{b} the names, {va}/{jobA}… each job's words.
BOTH = Parts(
    train=("{a} {va} {joba} and {b} {vb} {jobb}.", "{a} {va} {joba}, {b} {vb} {jobb}.",
           "{a} {va} {joba}. {b} {vb} {jobb}.", "{joba}: {a}, {jobb}: {b}.",
           "it's {a} who {va} {joba} and {b} who {vb} {jobb}.", "{joba}: {a}. {jobb}: {b}.",
           "{joba} {bea} {vppa} by {a}, {jobb} {beb} {vppb} by {b}.", "it's {a} for {joba} and {b} for {jobb}.",
           "{a} {va} {joba} and {jobb} {beb} {vppb} by {b}.", "{a} {va} {joba} now and {b} {vb} {jobb}."),
    held=("{a} {va} {joba} while {b} {vb} {jobb}.", "{a} {va} {joba} and also {b} {vb} {jobb}.",
          "{joba} {bea} {vppa} by {a} and {jobb} {beb} {vppb} by {b}.", "{a} {va} {joba} but {b} {vb} {jobb}."),
)

# Outside the world: jobs nobody here does (verbs and things combined at random, so that what makes a
# question about the world is its job's noun, not the verb), titles, and talk that is no question at all.
OTHER_VERBS = Parts(  # (verb, its -ing form); some are the world's own verbs, used on other things
    train=(("paints", "painting"), ("cooks", "cooking"), ("sings", "singing"), ("cleans", "cleaning"),
           ("feeds", "feeding"), ("guards", "guarding"), ("milks", "milking"), ("rings", "ringing"),
           ("cuts", "cutting"), ("writes", "writing"), ("builds", "building"), ("walks", "walking"),
           ("plays", "playing"), ("sweeps", "sweeping"), ("washes", "washing"), ("grows", "growing"),
           ("does", "doing"), ("runs", "running"), ("fixes", "fixing"), ("drives", "driving"), ("keeps", "keeping"),
           ("watches", "watching"), ("opens", "opening"), ("closes", "closing"), ("buys", "buying"),
           ("pays", "paying"), ("orders", "ordering"), ("takes care of", "taking care of"),
           ("looks after", "looking after"), ("handles", "handling"), ("bakes", "baking"), ("teaches", "teaching")),
    held=(("sells", "selling"), ("reads", "reading"), ("chops", "chopping"), ("knits", "knitting"),
          ("flies", "flying"), ("counts", "counting")),
)
OTHER_THINGS = Parts(
    train=("house", "soup", "song", "roof", "cat", "gate", "cow", "bell", "hair", "news", "wall", "dog", "piano",
           "street", "dishes", "apples", "race", "tractor", "car", "bike", "kitchen", "window", "door", "phone",
           "music", "dinner", "lunch", "breakfast", "bus", "train", "bridge", "church", "library", "radio",
           "computer", "game", "farm", "field", "horse", "sheep", "pig", "chickens", "eggs", "milk", "cheese",
           "coffee", "tea", "pizza", "laundry", "floor", "stairs", "lights", "fire", "trash", "bins", "fence",
           "pool", "beach", "museum", "hotel", "photos", "movies", "band", "choir", "team", "club", "party",
           "wedding", "tickets", "keys", "clock", "weather", "children", "baby", "castle", "tower", "kites",
           "ducks", "cars", "bikes", "windows", "horses", "shirts", "socks", "paintings", "songs", "tools"),
    held=("fish", "poems", "wood", "hats", "plane", "bees", "flowers", "candles", "violin", "sandwiches"),
)
TITLES = Parts(
    train=("mayor", "boss", "doctor", "cook", "farmer", "nurse", "pilot", "singer", "judge", "chef", "dentist",
           "painter", "plumber", "tailor", "butcher", "vet", "poet", "guard", "coach", "best", "winner", "chief",
           "owner", "neighbour", "police", "cleaner"),
    held=("king", "queen", "president", "priest", "sheriff"),
)
OTHER_QUESTIONS = Parts(
    train=("who {v} the {thing}?", "who is {ving} the {thing}?", "do you know who {v} the {thing}?",
           "who {v} our {thing}?", "{name} {v} the {thing}.", "who is the {title}?", "who's our {title}?",
           "tell me who the {title} is.", "who {v} the {thing} here?", "and the {thing}?"),
    held=("can you tell me who {v} the {thing}?", "any idea who {v} the {thing}?", "who's the {title} here?"),
)
SMALL_TALK = Parts(
    train=("how are you?", "who are you?", "what time is it?", "thank you", "thanks!", "what can you do?",
           "where is the key?", "how old are you?", "what is the weather?", "who is your friend?",
           "who won the game?", "tell me a joke.", "what?", "why?", "ok", "bye", "are you a robot?",
           "what day is it?", "do you like cats?", "where do you live?", "what is love?", "can you help me?",
           "do you dream?", "what are you?", "is it raining?", "good night", "see you", "what do you know?",
           "how does this work?", "who am i?", "where are we?", "tell me a story."),
    held=("what is your name?", "who made you?", "what is two plus two?", "can you sing?", "where am i?",
          "what is this?", "are you alive?"),
)
GREETINGS = Parts(train=("hi", "hi!", "hey!", "good morning", "hi there", "good day!", "greetings"),
                  held=("hello", "good evening", "hello!", "howdy", "hiya"))

# What the model says (one form each, so that what it writes is never in doubt).
ANSWER = "the {job}: {name}."
ACK = "ok, {answers}"
ASK_BACK = "then who {v} the {job}?"
OFF_WORLD = "i only know who does the jobs here."
GREETING = "hello! ask me who does a job here."
HONEST_REPLIES = (OFF_WORLD, GREETING)

# Words of the grammar and other small words: none of them is ever a name (`random_name` skips them,
# and the evaluation counts a reply naming one as a non-name taken for a name).
COMMON_WORDS = frozenset("""
a about after again ah all also am an and any are as at away back be because been but by can could day did do
does doing done down each else even ever every for from get go going good got had has have he her here hey hi him
his how i if in into is it its just know last like look made make man many may me mine more most much must my
name new next no nobody none nope nor not now of off oh ok okay on once one only or other our out over please
really right said same say see she should so some someone somebody sorry still such sure than thank thanks that
the their them then there these they thing this those though thus to too true try uh um under up us very was
way we well were what when where which while who whom whose why will with wrong yeah yes yep yet you your yours
wait nah oops fyi listen note hmm hello morning evening bye correction actually indeed also person job jobs
anyone everyone everybody anybody nothing something mister miss missus sir madam mr mrs ms dr boss mayor king
queen
""".split())


def _words(items) -> set[str]:
    out: set[str] = set()
    for item in items:
        if isinstance(item, (Verb, Noun)):
            item = " ".join(getattr(item, f) for f in item.__dataclass_fields__ if isinstance(getattr(item, f), str))
        if isinstance(item, tuple):
            out |= _words(item)
            continue
        out |= set(re.findall(r"[a-z]+", re.sub(r"\{[a-z]+\}", " ", str(item).lower())))
    return out


def vocabulary() -> frozenset[str]:
    """Every word the grammar (both splits) and the model's replies use, and the common small words."""
    slots = [GENERIC_VERBS, DETERMINERS, ADJECTIVES, QUESTIONS, QUESTION_OPENERS, CORRECTION_OPENERS, CLOSERS,
             CORRECTIONS, SHORT_CORRECTIONS, DENIALS, NAMINGS, BOTH, OTHER_VERBS, OTHER_THINGS, TITLES,
             OTHER_QUESTIONS, SMALL_TALK, GREETINGS, *JOB_VERBS.values()]
    words = set(COMMON_WORDS) | set(FILLER_WORDS)
    for s in slots:
        words |= _words(s.train) | _words(s.held)
    for nouns in JOB_NOUNS.values():
        words |= _words(nouns)
    for roles in JOB_ROLES.values():
        words |= _words(roles)
    words |= _words((ANSWER, ACK, ASK_BACK, OFF_WORLD, GREETING))
    return frozenset(words)


NOT_NAMES = vocabulary()


# --- putting a sentence together ----------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    """How one visitor message is typed: the split its parts come from, and whether noise is on it."""

    split: str = "train"  # "train", "held" (at least one held-out part) or "any"
    noise: bool = True


def job_words(rng: random.Random, job: str, det_split: str = "train", verb_split: str = "train",
              typo: float = 0.0) -> dict:
    """The words of one job in a sentence: verb forms, determiner and noun (maybe with a typo)."""
    verb = GENERIC_VERBS.pick(rng, verb_split) if rng.random() < 0.25 else JOB_VERBS[job].pick(rng, verb_split)
    noun = rng.choice(JOB_NOUNS[job])
    text = typo_of(rng, noun.text) if typo and rng.random() < typo else noun.text
    det = DETERMINERS.pick(rng, det_split)
    if rng.random() < 0.25:
        det = f"{det} {ADJECTIVES.pick(rng, det_split)}"
    return {"v": verb.s, "ving": verb.ing, "vpp": verb.pp, "vbase": verb.base, "job": f"{det} {text}",
            "be": noun.be, "pron": noun.pron, "role": f"{det} {rng.choice(JOB_ROLES[job])}"}


def _compose(rng: random.Random, style: Style, frames: Parts, jobs: list[str], openers: Parts | None = None,
             p_open: float = 0.0, typo: float = 0.0, p_close: float = 0.0, **fixed) -> str:
    """A message from a frame, the words of its jobs (one, or two as "a" and "b"), maybe an opener and
    maybe a closer.

    With the "held" split, each part the message really contains (frame, opener, closer, verb,
    determiner) comes from the held-out parts by a coin toss, and at least one does; otherwise all come
    from `style.split`."""
    held = style.split == "held"
    plan = {k: ("held" if rng.random() < 0.5 else "any") if held else style.split
            for k in ("frame", "opener", "closer", "verb", "det")}
    opened = openers is not None and rng.random() < p_open
    closed = rng.random() < p_close
    frame = frames.pick(rng, plan["frame"])
    used = ["frame"] + ["opener"] * opened + ["closer"] * closed + ["verb"] * ("{v" in frame) + \
        ["det"] * ("{job" in frame or "{role" in frame)
    if held and all(plan[k] != "held" for k in used):
        k = rng.choice(used)
        plan[k] = "held"
        if k == "frame":
            frame = frames.pick(rng, "held")
    typo = typo if style.noise else 0.0
    words = [job_words(rng, j, plan["det"], plan["verb"], typo) for j in jobs]
    if len(words) < 2:
        text = frame.format(**(words[0] if words else {}), **fixed)
    else:
        text = frame.format(**{f"{k}a": v for k, v in words[0].items()},
                            **{f"{k}b": v for k, v in words[1].items()}, **fixed)
    if closed:
        end = len(text.rstrip(".?!"))
        text = text[:end] + _fillers(rng, CLOSERS.pick(rng, plan["closer"])) + text[end:]
    if opened:
        text = f"{_fillers(rng, openers.pick(rng, plan['opener']))} {text}"
    text = re.sub(r"\.\.$", ".", text)  # "…the boat..": an opener's stop next to the frame's
    return noisy(rng, text) if style.noise else text


def _fillers(rng: random.Random, part: str) -> str:
    return part.format(w=rng.choice(FILLER_WORDS), w2=rng.choice(FILLER_WORDS)) if "{w" in part else part


def typo_of(rng: random.Random, word: str) -> str:
    """`word` with one letter dropped, doubled, swapped with the next or changed, never into another
    word the exhibit knows ("boat" never becomes "bot")."""
    if len(word) < 4:
        return word
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            typed = word[:i] + word[i + 1:]
        elif kind == 1:
            typed = word[:i] + word[i] + word[i:]
        elif kind == 2:
            typed = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            typed = word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1:]
        others = [n.text for nouns in JOB_NOUNS.values() for n in nouns if n.text != word]
        if typed != word and typed not in NOT_NAMES and not any(one_edit(typed, o) for o in others):
            return typed
    return word


def one_edit(a: str, b: str) -> bool:
    """Whether `a` is `b` with one letter dropped, added, changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))




def name_as_typed(rng: random.Random, name: str) -> str:
    """A name as a visitor types it: mostly capitalised, sometimes all lower case."""
    return name.lower() if rng.random() < 0.15 else name


_DOUBLED = {"?": ("??", "?!", "???"), ".": ("!", "!!", "...", ".."), "!": ("!!", "!!!")}


def noisy(rng: random.Random, text: str) -> str:
    """A message as typed: first letter capital or all upper case sometimes, the last punctuation
    dropped or doubled, spaces doubled or left at the end."""
    r = rng.random()
    if r < 0.07:
        text = text.upper()
    elif r < 0.42:
        text = text[:1].upper() + text[1:]
    r = rng.random()
    if r < 0.15 and text[-1:] in ".?!":
        text = text[:-1]
    elif r < 0.24 and text[-1:] in ".?!":
        text = text[:-1] + rng.choice(_DOUBLED[text[-1]])
    elif r < 0.27:
        text = text.replace(", ", " ", 1)
    if rng.random() < 0.04:
        i = text.find(" ")
        if i > 0:
            text = text[:i] + " " + text[i:]
    if rng.random() < 0.10:
        text += " " * rng.randint(1, 3)
    return text


def question(rng: random.Random, job: str, style: Style = Style()) -> str:
    """A visitor asking who does `job`."""
    return _compose(rng, style, QUESTIONS, [job], QUESTION_OPENERS, 0.3, typo=0.08, p_close=0.12)


def correction(rng: random.Random, job: str, name: str, old: str, style: Style = Style()) -> str:
    """A visitor saying that `name`, not `old`, does `job`, in one message that names the job."""
    return _compose(rng, style, CORRECTIONS, [job], CORRECTION_OPENERS, 0.6, typo=0.05, p_close=0.12, name=name,
                    old=old)


def short_correction(rng: random.Random, name: str, old: str, style: Style = Style()) -> str:
    """A correction that leaves the job to the conversation ("wrong, it's Kezra.")."""
    return _compose(rng, style, SHORT_CORRECTIONS, [], CORRECTION_OPENERS, 0.25, p_close=0.08, name=name, old=old)


def denial(rng: random.Random, old: str, style: Style = Style()) -> str:
    """The first half of a correction in two turns ("no.")."""
    return _compose(rng, style, DENIALS, [], old=old)


def naming(rng: random.Random, job: str, name: str, style: Style = Style()) -> str:
    """The second half: the name, after the model asked back."""
    return _compose(rng, style, NAMINGS, [job], name=name)


def both(rng: random.Random, jobs: tuple[str, str], names: tuple[str, str], style: Style = Style()) -> str:
    """Two corrections in one message, in the order of `jobs`."""
    return _compose(rng, style, BOTH, list(jobs), CORRECTION_OPENERS, 0.5, p_close=0.08, a=names[0], b=names[1])


def off_world(rng: random.Random, style: Style = Style(), name: str = "") -> tuple[str, str]:
    """Something the world cannot answer, and the honest reply to it."""
    kind = rng.random()
    split = style.split
    if kind < 0.15:
        return _finished(rng, style, GREETINGS.pick(rng, split)), GREETING
    if kind < 0.4:
        return _finished(rng, style, SMALL_TALK.pick(rng, split)), OFF_WORLD
    # A question about a thing or a title: with the held split, the frame, verb, thing or title is held out.
    parts = {k: ("held" if rng.random() < 0.5 else "any") if split == "held" else split
             for k in ("frame", "verb", "thing", "title")}
    frame = OTHER_QUESTIONS.pick(rng, parts["frame"])
    while "{name}" in frame and not name:
        frame = OTHER_QUESTIONS.pick(rng, parts["frame"])
    used = ["frame"] + (["title"] if "{title}" in frame else ["verb", "thing"] if "{v" in frame else ["thing"])
    if split == "held" and all(parts[k] != "held" for k in used):
        parts[rng.choice(used[1:])] = "held"
    verb, ing = OTHER_VERBS.pick(rng, parts["verb"])
    text = frame.format(v=verb, ving=ing, thing=OTHER_THINGS.pick(rng, parts["thing"]),
                        title=TITLES.pick(rng, parts["title"]), name=name)
    return _finished(rng, style, text), OFF_WORLD


def _finished(rng: random.Random, style: Style, text: str) -> str:
    return noisy(rng, text) if style.noise else text


def answer(job: str, name: str) -> str:
    return ANSWER.format(job=job, name=name)


def ack(pairs: list[tuple[str, str]]) -> str:
    return ACK.format(answers=" ".join(answer(j, n) for j, n in pairs))


def ask_back(job: str) -> str:
    verb = JOB_VERBS[job].train[0]
    return ASK_BACK.format(v=verb.s, job=job)
