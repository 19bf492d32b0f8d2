"""Which given names are canonical, and which one wins when a nickname has several.

The ``nicknames`` package (carltonnorthern's hand-curated list) says which names are
nicknames of which: ``bob`` of ``robert``, ``al`` of ``alan``, ``albert``, ``alexander`` and
ten more. It has no notion of how common a name is, lists some pairs both ways (``bob`` has
the nickname ``robert`` too) and some unlikely pairs (``bill`` is listed under ``robert``).
This module supplies what it lacks, as data.
"""

# fmt: off
FORMAL_GIVEN_NAMES: tuple[str, ...] = (
    # US given names, most common first (US Social Security card records, 1923-2022,
    # boys and girls merged by count; the order is approximate).
    "james", "robert", "john", "michael", "david", "william", "mary", "richard", "joseph",
    "thomas", "charles", "christopher", "daniel", "elizabeth", "matthew", "patricia",
    "jennifer", "linda", "george", "barbara", "anthony", "mark", "donald", "steven", "paul",
    "andrew", "joshua", "margaret", "kevin", "brian", "kenneth", "susan", "edward", "timothy",
    "sarah", "ronald", "jessica", "jason", "nancy", "jeffrey", "karen", "lisa", "ryan",
    "jacob", "nicholas", "gary", "eric", "sandra", "ashley", "stephen", "emily", "jonathan",
    "kimberly", "donna", "michelle", "carol", "justin", "scott", "amanda", "brandon",
    "melissa", "benjamin", "deborah", "stephanie", "dorothy", "rebecca", "samuel", "sharon",
    "laura", "cynthia", "gregory", "amy", "katherine", "kathleen", "alexander", "angela", "patrick",
    "frank", "shirley", "emma", "raymond", "brenda", "dennis", "pamela", "nicole", "anna",
    "tyler", "aaron", "jose", "adam", "nathan", "henry", "samantha", "zachary",
    "douglas", "peter", "christine", "debra", "rachel", "kyle", "noah", "ethan", "jeremy",
    "walter", "carolyn", "janet", "maria", "olivia", "heather", "helen", "catherine",
    "christian", "keith", "roger", "terry", "austin", "sean", "gerald", "carl", "harold",
    "diane", "julie", "victoria", "joyce", "lauren", "kelly", "christina", "ruth", "joan",
    "virginia", "judith", "evelyn", "dylan", "arthur", "lawrence", "jordan", "jesse",
    "bryan", "bruce", "gabriel", "logan", "alan", "juan", "albert", "elijah", "wayne",
    "randy", "vincent", "mason", "roy", "ralph", "russell", "bradley", "philip", "eugene",
    "hannah", "andrea", "megan", "cheryl", "jacqueline", "madison", "teresa", "abigail",
    "sophia", "martha", "sara", "gloria", "janice", "kathryn", "ann", "isabella", "charlotte",
    "julia", "grace", "amber", "alice", "jean", "denise", "frances", "danielle", "marilyn",
    "natalie", "beverly", "diana", "brittany", "theresa", "kayla", "alexis", "doris", "lori",
    "tiffany",
    # Less common names: formal names that common nicknames point to (fred, ted, sandy ...),
    # and given names in their own right that the nicknames data lists as nicknames.
    "louis", "howard", "frederick", "francis", "theodore", "alfred", "leonard", "stanley",
    "martin", "ernest", "bernard", "herbert", "norman", "edwin", "edgar", "clifford",
    "gordon", "jerome", "nathaniel", "jeremiah", "isaac", "mitchell", "oliver", "rose",
    "eleanor", "caroline", "valerie", "veronica", "florence", "louise", "irene", "jane",
    "joanne", "josephine", "geraldine", "rosemary", "roberta", "wilma", "suzanne",
    "alexandra", "penelope", "eliza", "lillian", "lucy", "agnes", "esther", "miriam",
    "gwendolyn", "henrietta", "antonia", "natasha", "angel", "bryant", "casey", "cassandra",
    "clara", "daisy", "dina", "elaine", "ellen", "ellie", "erin", "flora", "gail", "ian",
    "inez", "jay", "jill", "joy", "kara", "kendrick", "leah", "lee", "leo", "leon", "lewis",
    "lois", "lucinda", "lynn", "micah", "millie", "nora", "rita", "rupert", "sherry",
    "terence", "tracy", "wendy",
    # British, German and French given names, so that they are kept as they are.
    "amelia", "isla", "ava", "lily", "poppy", "ella", "sophie", "chloe", "ruby", "fiona",
    "gemma", "hans", "klaus", "jurgen", "wolfgang", "andreas", "stefan", "uwe", "dieter",
    "werner", "gunter", "horst", "manfred", "helmut", "heinz", "karl", "johannes",
    "friedrich", "wilhelm", "josef", "matthias", "markus", "sebastian", "tobias", "florian",
    "lukas", "maximilian", "felix", "jan", "jens", "sven", "ursula", "monika", "petra",
    "sabine", "renate", "helga", "karin", "brigitte", "ingrid", "gisela", "claudia",
    "susanne", "birgit", "stefanie", "katharina", "lena", "heike", "anja", "silke", "pierre",
    "michel", "philippe", "alain", "nicolas", "francois", "jacques", "christophe",
    "sebastien", "julien", "laurent", "frederic", "olivier", "thierry", "stephane",
    "guillaume", "antoine", "maxime", "hugo", "marie", "nathalie", "isabelle", "sylvie",
    "francoise", "martine", "monique", "sandrine", "celine", "chantal", "veronique",
    "camille", "manon", "aurelie", "anne", "helene", "claire", "elodie", "juliette",
)
# fmt: on
"""Given names that are canonical as they are, roughly most common first.

A name listed here is never mapped to another name, even where the nicknames data lists it
as a nickname (``john`` of ``jonathan``, ``mary`` of ``marietta``). A nickname maps only to
a name listed here; where several listed names share it, the earliest wins
(``al`` -> ``alexander``, ``pat`` -> ``patricia``, ``steve`` -> ``steven``). Spelt as
``normalise_name`` spells them: lower-case ASCII.
"""

NICKNAME_OVERRIDES: dict[str, str] = {
    # The nicknames data also lists bill and billy under robert, which is more common.
    "bill": "william",
    "billy": "william",
    # The data gives these a more common formal name they are rarely short for.
    "annie": "anna",
    "cassie": "cassandra",
    "cathy": "catherine",
    "jon": "jonathan",
    "marty": "martin",
    "mat": "matthew",
    "mel": "melissa",
    "steph": "stephanie",
    # German nicknames the English-language data lacks (or maps to an English name).
    "hannes": "johannes",
    "fritz": "friedrich",
    "willi": "wilhelm",
    "sepp": "josef",
}
"""Nickname -> formal name where the most-common rule above picks the less usual reading."""
