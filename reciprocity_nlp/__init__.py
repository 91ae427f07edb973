"""reciprocity-nlp: read sales and recruitment conversations and rate how the agent comes across."""

from reciprocity_nlp.agent import AgentError, assign_agent
from reciprocity_nlp.conversation import Conversation, Sentence, Turn
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers import FORMATS, iter_conversations, read, read_file
from reciprocity_nlp.segmentation import Segmenter

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "AgentError",
    "Conversation",
    "ReadError",
    "Segmenter",
    "Sentence",
    "Turn",
    "assign_agent",
    "iter_conversations",
    "read",
    "read_file",
]
