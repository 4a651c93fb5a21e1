"""What visitors say, slot by slot: the parts of the grammar that `model.phrasing` puts together.

Each slot (`Parts`) holds the parts training uses and those kept for the evaluation alone (`held`): a
figure on held-out phrasing is a figure on sentences made of parts the model never saw. The nouns of
the jobs and the people by their job are world knowledge, all trained. The model's own replies have one
form each. `NOT_NAMES` is every word here and the common small words: none of them is ever a name.
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
# Training's many small words before a job's noun teach that the word there is not a name, whatever it is.
DETERMINERS = Parts(("the", "the", "the", "the", "our", "our", "your", "my", "that", "their", "his", "her", "a", "one",
                     "these", "those", "its", "every"), ("this",))
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
           "whoa,", "oh dear,", "hmm no,", "erm,", "not exactly:", "let me correct you:",
           "small correction:", "just so you know,", "for the record,", "to be clear,", "i'm afraid",
           "honestly,", "you know what,", "no, silly,",
           "i'm sure", "look,", "so,", "ok,", "by the way,", "hi,", "now,", "{w},", "{w}!", "{w}, {w2},", "{w}.",
           "{w} {w2},", "no, {w},", "{w}, no,"),
    held=("nah,", "incorrect.", "not true,", "oops, no.", "uh, actually,", "you're mistaken,", "wait,",
          "careful,", "that's not it.", "oh no,"),
)
# Said after the sentence, before its last mark ("Kezra does the books, thanks.").
CLOSERS = Parts(train=(", please", " please", ", thanks", " thanks", ", ok", " now", " for sure", ", {w}", " {w}",
                       " then", ", {w} {w2}", " again", " today",
                       ", by the way", " by the way", " for now"),
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
           "ask {name}, {name} {v} {job}.", "{old} used to {vbase} {job}, now {name} does.",
           "whoever {v} {job} is {name}.", "{name}'s the one who {v} {job}.", "{job}? {name} is the one.",
           "{job}? ask {name}.", "{job}? it is {name} now.", "{job} {be} up to {name}.", "{name} is who {v} {job}.",
           "{name} {v} {job} every day.", "we have {name} for {job}.", "{name} has {job} now.",
           "{job}, {name} {v} {pron}.", "{name} and nobody else {v} {job}.", "that is {name}'s job now: {job}.",
           "{job}? that one is {name}'s.", "the one for {job} is {name}.", "{old}? no, {name} {v} {job}.",
           "{name} {v} {job}, {old} doesn't.", "{job} {be} {vpp} by {name} alone.",
           "{name} is the {role} now, not {old}.", "{name} {v} {job} and {old} doesn't.",
           # a small word and "'s" before the name ("here's Kezra"): the word before "'s" is not always a name
           "{job}? here's who {v} {pron}: {name}.", "{job}? there's {name} for {pron}.",
           "here's who {v} {job}: {name}.", "{name} acts as {role}.", "{name} serves as {role} now."),
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
           "no, ask {name}.", "no, {name} is the one.", "{old}? no, {name}.", "not {old}. {name}!",
           "that one is {name}.", "the name is {name}.", "{name} is right.", "{name} is the answer.",
           "it's {name} you want.", "no, it was {name}.", "{name}, you mean.",
           "i'd say {name}.", "now it's {name}.", "no, that is {name}.", "here's who: {name}.",
           "there's {name} for that."),
    held=("wrong, {name}.", "actually it is {name}.", "{name}, not {old}.", "that's {name}.",
          "it's {name} actually.", "no, {name} does it."),
)
# A correction in two turns: "no." (the model asks back), then the name.
DENIALS = Parts(train=("no.", "wrong.", "nope.", "that's wrong.", "not {old}.", "no!", "no, that's wrong.",
                       "not right.", "wrong!", "nope!", "that is wrong.", "false.", "no, not {old}."),
                held=("incorrect.", "no way.", "that's not right."))
NAMINGS = Parts(train=("{name}.", "it's {name}.", "{name} does.", "{name} {v} {job}.", "it's {name}!",
                       "{name} does it now.", "it is {name} now.", "{name}, of course.", "{name} now.",
                       "{name} is.", "the name is {name}.", "{name}, obviously.", "that one is {name}.",
                       "i'd say {name}.", "i think it's {name}.", "well, {name}.", "the answer is {name}.",
                       "it should be {name}.", "must be {name}.", "probably {name}.", "{name}, i believe.",
                       "try {name}.", "it was {name}.", "ask {name}.", "{name} is the one.", "here's {name}.",
                       "there's {name}."),
                held=("it is {name}.", "{name} does it.", "that would be {name}."))
# Both jobs in one message: {a}/{b} the names, {va}/{jobA}… each job's words.
BOTH = Parts(
    train=("{a} {va} {joba} and {b} {vb} {jobb}.", "{a} {va} {joba}, {b} {vb} {jobb}.",
           "{a} {va} {joba}. {b} {vb} {jobb}.", "{joba}: {a}, {jobb}: {b}.",
           "it's {a} who {va} {joba} and {b} who {vb} {jobb}.", "{joba}: {a}. {jobb}: {b}.",
           "{joba} {bea} {vppa} by {a}, {jobb} {beb} {vppb} by {b}.", "it's {a} for {joba} and {b} for {jobb}.",
           "{a} {va} {joba} and {jobb} {beb} {vppb} by {b}.", "{a} {va} {joba} now and {b} {vb} {jobb}.",
           "{joba}? {a}. {jobb}? {b}.", "{a} {va} {joba}; {b} {vb} {jobb}.", "{a} {va} {joba} and {b}, {jobb}.",
           "{joba} {bea} {a}'s job and {jobb} {beb} {b}'s.", "{a} is in charge of {joba} and {b} of {jobb}.",
           "{a} {va} {joba}, and {jobb} {beb} {b}'s job.", "first, {a} {va} {joba}. second, {b} {vb} {jobb}.",
           "whoever {va} {joba} is {a}, whoever {vb} {jobb} is {b}.", "{a} for {joba}, {b} for {jobb}.",
           "no: {a} {va} {joba}, {b} {vb} {jobb}."),
    held=("{a} {va} {joba} while {b} {vb} {jobb}.", "{a} {va} {joba} and also {b} {vb} {jobb}.",
          "{joba} {bea} {vppa} by {a} and {jobb} {beb} {vppb} by {b}.", "{a} {va} {joba} but {b} {vb} {jobb}."),
)
# Training also joins two one-job corrections ("it's A who does the books" + CONNECTOR + "the shop is
# run by B"), so that two corrections in one message are read clause by clause, whatever joins them.
# The held-out ones are those of the held-out two-job forms above: training never joins with them.
CONNECTORS = Parts(train=(" and ", ", and ", ". ", "; ", ", ", " and then ", ", then ", " and now ", " plus ",
                          ", plus ", " whereas ", " and meanwhile ", ". meanwhile, ", " and of course ", ". and ",
                          " and in turn ", ", and as for the rest, ", " as well as that, ",
                          # a small word after "and" or before the second clause: the name is what follows it
                          " and besides ", " and likewise ", " and similarly ", " and moreover ", " and further ",
                          " and furthermore ", " and in addition ", " and equally ", " and again ",
                          " and on top of that ", " and naturally ", " and by the way ", ", and besides, ",
                          ". moreover, ", ". in addition, ", "; besides, ", ". furthermore, ", " and what is more "),
                   held=(" while ", " and also ", " but "))

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
# Training's small talk is also made from frames and fillers: what marks it is that no job of the world is in it,
# not the sentence. No filler has the word that makes a held-out sentence ("alive", "sing", "name", "plus", "made").
_SMALL_TALK_MADE = tuple(frame.format(x) for frame, xs in (
    ("are you {}?", ("happy", "sad", "tired", "real", "smart", "human", "a person", "awake", "hungry", "bored", "busy",
                     "ok", "there", "sure", "lonely", "kind", "clever", "a computer", "a machine", "my friend",
                     "listening", "angry", "cold", "online", "asleep", "serious")),
    ("can you {}?", ("dance", "swim", "draw", "laugh", "talk", "hear me", "see me", "think", "jump", "whistle",
                     "speak french", "smile", "remember things", "learn", "play chess", "tell jokes", "hear music")),
    ("what is {}?", ("the time", "the date", "your job", "your age", "your favourite colour", "the capital of france",
                     "ten minus three", "three times four", "life", "the meaning of life", "a robot", "the internet",
                     "your favourite food", "the best movie", "the biggest animal", "the news today")),
    ("do you {}?", ("like music", "like me", "sleep", "eat", "know me", "speak english", "remember me", "feel anything",
                    "have friends", "like dogs", "play games", "watch movies", "get tired", "understand me")),
    ("where is {}?", ("the toilet", "the exit", "the station", "my bag", "the cafe", "my phone", "the moon", "paris")),
    ("how {}?", ("far is the moon", "big is the sun", "do you work", "many people live here", "tall are you",
                 "is your day", "was your day", "much is a coffee")),
    ("tell me {}.", ("something", "about you", "a fact", "a secret", "a riddle", "something nice")),
    ("{}", ("what's up?", "what's new?", "what are you doing?", "what should i do?", "what do you mean?", "i like you.",
            "you are funny.", "lol", "nice", "cool", "goodbye", "see you later", "i am bored.", "good job", "haha",
            "never mind", "are we done?", "is anyone there?", "wake up!", "let's play a game.")),
) for x in xs)
SMALL_TALK = Parts(
    train=_SMALL_TALK_MADE + (
           "how are you?", "who are you?", "what time is it?", "thank you", "thanks!", "what can you do?",
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
             CORRECTIONS, SHORT_CORRECTIONS, DENIALS, NAMINGS, BOTH, CONNECTORS, OTHER_VERBS, OTHER_THINGS, TITLES,
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
